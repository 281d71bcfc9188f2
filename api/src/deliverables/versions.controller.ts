import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import { ApiCookieAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access } from '../auth/access.decorator.js';
import type { Caller } from '../auth/auth.types.js';
import { CurrentCaller } from '../auth/current-principal.decorator.js';
import { ApiProblems } from '../common/api-problems.decorator.js';
import { uuidParam } from '../common/uuid-param.js';
import { DecideVersionDto } from './dto/deliverable-input.dto.js';
import { VersionDto } from './dto/version.dto.js';
import { staffReviewer } from './reviewer.js';
import { VersionsService } from './versions.service.js';

const DECIDABLE = 'Only the latest version of the deliverable, only while it awaits review (409 `not-latest-version` / `version-decided`).';

// Issue 10, reviews: viewers read; engineers and above decide.
@ApiTags('reviews')
@ApiCookieAuth()
@ApiProblems(401, 503)
@Controller('api/v1/versions')
export class VersionsController {
  constructor(private readonly versions: VersionsService) {}

  @Get(':id')
  @Access('viewer')
  @ApiOperation({ summary: 'Get one version of a deliverable', description: 'With its file, the decision on it (who, when, which revision round) and its comment counts.' })
  @ApiOkResponse({ type: VersionDto })
  @ApiProblems(400, 404)
  getVersion(@Param('id', uuidParam) id: string): Promise<VersionDto> {
    return this.versions.get(id);
  }

  @Post(':id/approve')
  @Access('engineer')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Approve a version: the deliverable is approved (closed)', description: `${DECIDABLE} Writes a \`version.approved\` event.` })
  @ApiOkResponse({ type: VersionDto })
  @ApiProblems(400, 404, 409)
  approveVersion(@CurrentCaller() caller: Caller, @Param('id', uuidParam) id: string, @Body() dto: DecideVersionDto): Promise<VersionDto> {
    return this.versions.decide(staffReviewer(caller), id, 'approve', dto.note);
  }

  @Post(':id/request-changes')
  @Access('engineer')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Request changes on a version: the next revision round',
    description:
      `${DECIDABLE} The version's revisionRound is the deliverable's roundsUsed + 1; past the project's included rounds it is an extra ` +
      '(billable) round: `extraRound` true and a `revision.extra_round` event besides `version.changes_requested`.',
  })
  @ApiOkResponse({ type: VersionDto })
  @ApiProblems(400, 404, 409)
  requestVersionChanges(@CurrentCaller() caller: Caller, @Param('id', uuidParam) id: string, @Body() dto: DecideVersionDto): Promise<VersionDto> {
    return this.versions.decide(staffReviewer(caller), id, 'request-changes', dto.note);
  }
}
