import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCookieAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access } from '../auth/access.decorator.js';
import { ApiProblems } from '../common/api-problems.decorator.js';
import { uuidParam } from '../common/uuid-param.js';
import { ProjectBookingsDto, ProjectDetailDto, ProjectDto, ProjectListDto } from './dto/project.dto.js';
import { CreateProjectDto, ListProjectsQueryDto, UpdateProjectDto } from './dto/project-input.dto.js';
import { ProjectsService } from './projects.service.js';

// Issue 10: viewers read; engineers and above create and edit; deleting a project is for admins and owners.
@ApiTags('projects')
@ApiCookieAuth()
@ApiProblems(401, 503)
@Controller('api/v1/projects')
export class ProjectsController {
  constructor(private readonly projects: ProjectsService) {}

  @Post()
  @Access('engineer')
  @ApiOperation({ summary: 'Create a project for a client', description: '`clientId`, `title` and `type` are required; status defaults to planned, included revision rounds to 2.' })
  @ApiCreatedResponse({ type: ProjectDto })
  @ApiProblems(400)
  createProject(@Body() dto: CreateProjectDto): Promise<ProjectDto> {
    return this.projects.create(dto);
  }

  @Get()
  @Access('viewer')
  @ApiOperation({
    summary: 'List projects, newest first, with filters, a total and cursor pagination',
    description: 'Archived projects are left out unless `status` names archived. Pass `nextCursor` back as `cursor`, with the same filters, for the next page.',
  })
  @ApiOkResponse({ type: ProjectListDto })
  @ApiProblems(400)
  listProjects(@Query() query: ListProjectsQueryDto): Promise<ProjectListDto> {
    return this.projects.list(query);
  }

  @Get(':id')
  @Access('viewer')
  @ApiOperation({ summary: 'Get one project with its summary', description: 'Booked time and amounts from its bookings (not cancelled or no-show), counts of tracks, files, deliverables and revision rounds.' })
  @ApiOkResponse({ type: ProjectDetailDto })
  @ApiProblems(400, 404)
  getProject(@Param('id', uuidParam) id: string): Promise<ProjectDetailDto> {
    return this.projects.get(id);
  }

  @Get(':id/bookings')
  @Access('viewer')
  @ApiOperation({ summary: "The project's bookings (sessions), by start time", description: 'Every status, cancelled ones included, in the shape of GET /bookings/{id}.' })
  @ApiOkResponse({ type: ProjectBookingsDto })
  @ApiProblems(400, 404)
  listProjectBookings(@Param('id', uuidParam) id: string): Promise<ProjectBookingsDto> {
    return this.projects.bookings(id);
  }

  @Patch(':id')
  @Access('engineer')
  @ApiOperation({ summary: 'Change a project; null clears budget, due date or notes', description: 'Only the fields sent change.' })
  @ApiOkResponse({ type: ProjectDto })
  @ApiProblems(400, 404)
  updateProject(@Param('id', uuidParam) id: string, @Body() dto: UpdateProjectDto): Promise<ProjectDto> {
    return this.projects.update(id, dto);
  }

  @Delete(':id')
  @Access('admin')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Delete a project', description: 'With its tracks and deliverables. A project that bookings or files refer to is kept (409 project-in-use): archive it instead.' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiProblems(400, 404, 409)
  deleteProject(@Param('id', uuidParam) id: string): Promise<void> {
    return this.projects.remove(id);
  }
}
