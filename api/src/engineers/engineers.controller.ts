import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, ParseUUIDPipe, Post, Put, Query } from '@nestjs/common';
import { ApiCookieAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access } from '../auth/access.decorator.js';
import type { Caller } from '../auth/auth.types.js';
import { CurrentCaller } from '../auth/current-principal.decorator.js';
import { ApiProblems } from '../common/api-problems.decorator.js';
import { ValidationProblem } from '../common/problem.js';
import { uuidParam } from '../common/uuid-param.js';
import {
  CreateTimeOffDto,
  EngineerListDto,
  ListEngineersQueryDto,
  ListTimeOffQueryDto,
  SetWorkingHoursDto,
  TimeOffDto,
  TimeOffListDto,
  WorkingHoursDto,
} from './dto/engineer.dto.js';
import { EngineersService } from './engineers.service.js';

const userIdParam = new ParseUUIDPipe({
  exceptionFactory: () => new ValidationProblem([{ field: 'userId', messages: ['userId must be a UUID'] }]),
});

/**
 * Issue 9 (resources): everyone reads the engineers' schedules. Writes are open to engineers, and the
 * service lets an engineer change only their own (403 `own-schedule-only` otherwise); admins change anyone's.
 */
@ApiTags('engineers')
@ApiCookieAuth()
@ApiProblems(401, 503)
@Controller('api/v1/engineers')
export class EngineersController {
  constructor(private readonly engineers: EngineersService) {}

  @Get()
  @Access('viewer')
  @ApiOperation({
    summary: 'The studio engineers: members with the engineer role or higher, with their working hours',
    description: 'Ordered by email, with cursor pagination.',
  })
  @ApiOkResponse({ type: EngineerListDto })
  @ApiProblems(400)
  listEngineers(@CurrentCaller() caller: Caller, @Query() query: ListEngineersQueryDto): Promise<EngineerListDto> {
    return this.engineers.list(caller, query);
  }

  @Get(':userId/working-hours')
  @Access('viewer')
  @ApiOperation({ summary: "An engineer's weekly working hours", description: 'A user who is not an engineer (or higher) of the studio is a 404.' })
  @ApiOkResponse({ type: WorkingHoursDto })
  @ApiProblems(400, 404)
  getWorkingHours(@CurrentCaller() caller: Caller, @Param('userId', userIdParam) userId: string): Promise<WorkingHoursDto> {
    return this.engineers.workingHours(caller, userId);
  }

  @Put(':userId/working-hours')
  @Access('engineer')
  @ApiOperation({
    summary: "Set an engineer's weekly working hours (the whole week)",
    description: "Engineers set their own; admins anyone's (403 otherwise). Wall-clock times in the studio time zone.",
  })
  @ApiOkResponse({ type: WorkingHoursDto })
  @ApiProblems(400, 404)
  setWorkingHours(@CurrentCaller() caller: Caller, @Param('userId', userIdParam) userId: string, @Body() dto: SetWorkingHoursDto): Promise<WorkingHoursDto> {
    return this.engineers.setWorkingHours(caller, userId, dto.workingHours);
  }

  @Get(':userId/time-off')
  @Access('viewer')
  @ApiOperation({ summary: "An engineer's time off, by start", description: 'Pass `endsAfter` (e.g. now) for current and upcoming periods only.' })
  @ApiOkResponse({ type: TimeOffListDto })
  @ApiProblems(400, 404)
  listTimeOff(@CurrentCaller() caller: Caller, @Param('userId', userIdParam) userId: string, @Query() query: ListTimeOffQueryDto): Promise<TimeOffListDto> {
    return this.engineers.listTimeOff(caller, userId, query);
  }

  @Post(':userId/time-off')
  @Access('engineer')
  @ApiOperation({
    summary: 'Add time off for an engineer',
    description: "Engineers add their own; admins anyone's (403 otherwise). `endsAt` after `startsAt`, at most a year later.",
  })
  @ApiCreatedResponse({ type: TimeOffDto })
  @ApiProblems(400, 404)
  addTimeOff(@CurrentCaller() caller: Caller, @Param('userId', userIdParam) userId: string, @Body() dto: CreateTimeOffDto): Promise<TimeOffDto> {
    return this.engineers.addTimeOff(caller, userId, dto);
  }

  @Delete(':userId/time-off/:id')
  @Access('engineer')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Remove a period of time off', description: "Engineers remove their own; admins anyone's (403 otherwise)." })
  @ApiNoContentResponse({ description: 'Removed' })
  @ApiProblems(400, 404)
  deleteTimeOff(@CurrentCaller() caller: Caller, @Param('userId', userIdParam) userId: string, @Param('id', uuidParam) id: string): Promise<void> {
    return this.engineers.removeTimeOff(caller, userId, id);
  }
}
