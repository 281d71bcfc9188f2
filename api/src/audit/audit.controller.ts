import { Controller, Get, Query } from '@nestjs/common';
import { ApiCookieAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access } from '../auth/access.decorator.js';
import { ApiProblems } from '../common/api-problems.decorator.js';
import { AuditService } from './audit.service.js';
import { AuditListDto, ListAuditQueryDto } from './dto/audit.dto.js';

@ApiTags('audit')
@ApiCookieAuth()
@Controller('api/v1/audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @Access('admin')
  @ApiOperation({
    summary: "The studio's audit log, newest first, with filters and cursor pagination",
    description: 'Who (user or API key), what, which record, when and from which address. `from` is inclusive, `to` exclusive.',
  })
  @ApiOkResponse({ type: AuditListDto })
  @ApiProblems(400)
  listAudit(@Query() query: ListAuditQueryDto): Promise<AuditListDto> {
    return this.audit.list(query);
  }
}
