import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Patch, Post } from '@nestjs/common';
import { ApiCookieAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access } from '../auth/access.decorator.js';
import type { Caller } from '../auth/auth.types.js';
import { CurrentCaller } from '../auth/current-principal.decorator.js';
import { ApiProblems } from '../common/api-problems.decorator.js';
import { uuidParam } from '../common/uuid-param.js';
import { DeliverablesService } from './deliverables.service.js';
import { CreateDeliverableDto, CreateVersionDto, UpdateDeliverableDto } from './dto/deliverable-input.dto.js';
import { DeliverableDetailDto, DeliverableDto, DeliverableListDto } from './dto/deliverable.dto.js';
import { VersionDto } from './dto/version.dto.js';
import { VersionsService } from './versions.service.js';

// Issue 10, reviews: viewers read; engineers and above create, edit and upload versions; admins delete.
@ApiTags('reviews')
@ApiCookieAuth()
@ApiProblems(401, 503)
@Controller('api/v1')
export class DeliverablesController {
  constructor(
    private readonly deliverables: DeliverablesService,
    private readonly versions: VersionsService,
  ) {}

  @Get('projects/:id/deliverables')
  @Access('viewer')
  @ApiOperation({ summary: "A project's deliverables", description: 'Oldest first, each with its latest version and round counts.' })
  @ApiOkResponse({ type: DeliverableListDto })
  @ApiProblems(400, 404)
  listDeliverables(@Param('id', uuidParam) projectId: string): Promise<DeliverableListDto> {
    return this.deliverables.list(projectId);
  }

  @Post('projects/:id/deliverables')
  @Access('engineer')
  @ApiOperation({ summary: 'Add a deliverable to a project', description: '`trackId`, when given, must be a track of the same project (400 otherwise). At most 500 per project (409 `limit-reached`).' })
  @ApiCreatedResponse({ type: DeliverableDto })
  @ApiProblems(400, 404, 409)
  createDeliverable(@CurrentCaller() caller: Caller, @Param('id', uuidParam) projectId: string, @Body() dto: CreateDeliverableDto): Promise<DeliverableDto> {
    return this.deliverables.create(caller, projectId, dto);
  }

  @Get('deliverables/:id')
  @Access('viewer')
  @ApiOperation({ summary: 'Get a deliverable with all its versions', description: 'Versions newest first, each with its file, decision and comment counts.' })
  @ApiOkResponse({ type: DeliverableDetailDto })
  @ApiProblems(400, 404)
  getDeliverable(@Param('id', uuidParam) id: string): Promise<DeliverableDetailDto> {
    return this.deliverables.get(id);
  }

  @Patch('deliverables/:id')
  @Access('engineer')
  @ApiOperation({ summary: 'Rename a deliverable or change its track', description: 'Only the fields sent change; `trackId: null` detaches it from its track.' })
  @ApiOkResponse({ type: DeliverableDto })
  @ApiProblems(400, 404)
  updateDeliverable(@Param('id', uuidParam) id: string, @Body() dto: UpdateDeliverableDto): Promise<DeliverableDto> {
    return this.deliverables.update(id, dto);
  }

  @Delete('deliverables/:id')
  @Access('admin')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Delete a deliverable', description: 'Only while it has no versions (409 `deliverable-has-versions`): review history is kept.' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiProblems(400, 404, 409)
  deleteDeliverable(@Param('id', uuidParam) id: string): Promise<void> {
    return this.deliverables.remove(id);
  }

  @Post('deliverables/:id/versions')
  @Access('engineer')
  @ApiOperation({
    summary: 'Submit the next version (v1, v2…) for review',
    description:
      "`fileId` is an uploaded file of the deliverable's project (400 otherwise). An approved deliverable takes no new versions " +
      '(409 `deliverable-approved`). Writes a `version.uploaded` event.',
  })
  @ApiCreatedResponse({ type: VersionDto })
  @ApiProblems(400, 404, 409)
  createVersion(@CurrentCaller() caller: Caller, @Param('id', uuidParam) id: string, @Body() dto: CreateVersionDto): Promise<VersionDto> {
    return this.versions.create(caller, id, dto);
  }
}
