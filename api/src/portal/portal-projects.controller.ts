import { Controller, Get, Param } from '@nestjs/common';
import { ApiCookieAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { PortalAccess } from '../auth/access.decorator.js';
import type { PortalPrincipal } from '../auth/auth.types.js';
import { ApiProblems } from '../common/api-problems.decorator.js';
import { uuidParam } from '../common/uuid-param.js';
import { CurrentPortalPrincipal } from './current-portal-principal.decorator.js';
import { PortalProjectDto, PortalProjectListDto } from './dto/portal-reviews.dto.js';
import { PortalProjectsService } from './portal-projects.service.js';

/** Issue 12, portal: the signed-in client's own projects (another client's id is a 404). */
@ApiTags('portal')
@ApiCookieAuth('portal')
@PortalAccess()
@Controller('api/v1/portal/projects')
export class PortalProjectsController {
  constructor(private readonly projects: PortalProjectsService) {}

  @Get()
  @ApiOperation({ summary: "The client's projects, and the versions awaiting the client's review", description: 'Most recently updated first (at most 500).' })
  @ApiOkResponse({ type: PortalProjectListDto })
  listPortalProjects(@CurrentPortalPrincipal() principal: PortalPrincipal): Promise<PortalProjectListDto> {
    return this.projects.list(principal);
  }

  @Get(':id')
  @ApiOperation({
    summary: "One of the client's projects: tracks, deliverables with their versions, rounds used and included",
    description: "The files the studio shares with the client are the deliverables' versions (download and peaks at each version's URLs). Another client's project or an unknown id is a 404.",
  })
  @ApiOkResponse({ type: PortalProjectDto })
  @ApiProblems(400)
  getPortalProject(@CurrentPortalPrincipal() principal: PortalPrincipal, @Param('id', uuidParam) id: string): Promise<PortalProjectDto> {
    return this.projects.get(principal, id);
  }
}
