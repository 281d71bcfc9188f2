import { Body, Controller, Get, HttpCode, HttpStatus, Param, ParseIntPipe, Put } from '@nestjs/common';
import { ApiCookieAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { Access } from '../auth/access.decorator.js';
import { ApiProblems } from '../common/api-problems.decorator.js';
import { ValidationProblem } from '../common/problem.js';
import { uuidParam } from '../common/uuid-param.js';
import { RecallSheetDto, RecallSheetVersionListDto, SaveRecallSheetDto } from './dto/recall-sheet.dto.js';
import { RecallSheetsService } from './recall-sheets.service.js';

const versionParam = new ParseIntPipe({ exceptionFactory: () => new ValidationProblem([{ field: 'version', messages: ['version must be a positive integer'] }]) });

// Issue 9 (booking-extras): viewers read recall sheets; engineers and above save them.
@ApiTags('bookings')
@ApiCookieAuth()
@ApiProblems(401, 503)
@Controller('api/v1/bookings/:id/recall-sheet')
export class RecallSheetsController {
  constructor(private readonly sheets: RecallSheetsService) {}

  @Get()
  @Access('viewer')
  @ApiOperation({ summary: "The booking's recall sheet (latest version)", description: 'A 404 when the booking has none yet, or is not in your studio.' })
  @ApiOkResponse({ type: RecallSheetDto })
  @ApiProblems(400, 404)
  getRecallSheet(@Param('id', uuidParam) id: string): Promise<RecallSheetDto> {
    return this.sheets.latest(id);
  }

  @Put()
  @Access('engineer')
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({
    summary: 'Save a new version of the recall sheet',
    description:
      'Every save is a new version (baseVersion + 1); older versions stay readable. `baseVersion` is the version the editor started from (0 for the first): ' +
      'when someone else saved since, the answer is a 409 `recall-sheet-stale` and nothing is written.',
  })
  @ApiCreatedResponse({ type: RecallSheetDto })
  @ApiProblems(400, 404, 409)
  saveRecallSheet(@Param('id', uuidParam) id: string, @Body() dto: SaveRecallSheetDto): Promise<RecallSheetDto> {
    return this.sheets.save(id, dto);
  }

  @Get('versions')
  @Access('viewer')
  @ApiOperation({ summary: 'Saved versions of the recall sheet, newest first', description: 'Version number, who saved it and when, without the bodies: read one with GET …/versions/{version}.' })
  @ApiOkResponse({ type: RecallSheetVersionListDto })
  @ApiProblems(400, 404)
  listRecallSheetVersions(@Param('id', uuidParam) id: string): Promise<RecallSheetVersionListDto> {
    return this.sheets.versions(id);
  }

  @Get('versions/:version')
  @Access('viewer')
  @ApiOperation({ summary: 'One saved version of the recall sheet', description: 'A 404 when the booking has no such version.' })
  @ApiParam({ name: 'version', schema: { type: 'integer', format: 'int32', minimum: 1, maximum: 2147483647 } })
  @ApiOkResponse({ type: RecallSheetDto })
  @ApiProblems(400, 404)
  getRecallSheetVersion(@Param('id', uuidParam) id: string, @Param('version', versionParam) version: number): Promise<RecallSheetDto> {
    return this.sheets.version(id, version);
  }
}
