import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiCookieAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access } from '../auth/access.decorator.js';
import { ApiProblems } from '../common/api-problems.decorator.js';
import { uuidParam } from '../common/uuid-param.js';
import { PortalActivityListDto, PortalActivityQueryDto } from './dto/portal-activity.dto.js';
import { PortalActivityService } from './portal-activity.service.js';

// Issue 12: what a client did in the portal includes payments and quote decisions: admins, as for money.
@ApiTags('portal-accounts')
@ApiCookieAuth()
@ApiProblems(401, 503)
@Controller('api/v1/clients/:id/portal-activity')
export class PortalActivityController {
  constructor(private readonly activity: PortalActivityService) {}

  @Get()
  @Access('admin')
  @ApiOperation({
    summary: "What the client's portal accounts did, newest first",
    description: 'Sign-ins, quote decisions, checkouts started and everything else written from the portal (from the audit log), and payments received online on the client\u2019s invoices. Cursor paged.',
  })
  @ApiOkResponse({ type: PortalActivityListDto })
  @ApiProblems(400, 404)
  listClientPortalActivity(@Param('id', uuidParam) id: string, @Query() query: PortalActivityQueryDto): Promise<PortalActivityListDto> {
    return this.activity.list(id, query);
  }
}
