import { Body, Controller, Get, Headers, HttpCode, HttpStatus, Param, Post, Query, Res, StreamableFile } from '@nestjs/common';
import { ApiCookieAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { PortalAccess } from '../auth/access.decorator.js';
import type { PortalPrincipal } from '../auth/auth.types.js';
import { ApiProblems } from '../common/api-problems.decorator.js';
import { uuidParam } from '../common/uuid-param.js';
import { CreateReviewCommentDto } from '../deliverables/dto/deliverable-input.dto.js';
import { ReviewCommentDto, ReviewCommentListDto } from '../deliverables/dto/review-comment.dto.js';
import { ReviewCommentsService } from '../deliverables/review-comments.service.js';
import { clientReviewer } from '../deliverables/reviewer.js';
import { VersionsService } from '../deliverables/versions.service.js';
import { FileContentQueryDto } from '../files/dto/file-input.dto.js';
import { ApiFileContent, sendFileContent } from '../files/file-content.reply.js';
import { FilePeaksDto } from '../files/peaks/dto/file-peaks.dto.js';
import { CurrentPortalPrincipal } from './current-portal-principal.decorator.js';
import { PortalDecisionDto, PortalVersionDto } from './dto/portal-reviews.dto.js';
import { PortalProjectsService, toPortalVersion } from './portal-projects.service.js';

const DECIDABLE =
  "Only the latest version of the deliverable, only while it awaits review (409 `not-latest-version` / `version-decided`, as for staff). Another client's version is a 404.";

/**
 * Issue 12, portal: the client reviews the versions of its own projects — listens (download with Range,
 * waveform peaks), comments at a time, approves or requests changes. Decisions and comments go through
 * the staff services (one path for the rules, the row lock, the rounds and the events).
 */
@ApiTags('portal')
@ApiCookieAuth('portal')
@PortalAccess()
@Controller('api/v1/portal/versions')
export class PortalReviewsController {
  constructor(
    private readonly projects: PortalProjectsService,
    private readonly versions: VersionsService,
    private readonly comments: ReviewCommentsService,
  ) {}

  @Get(':id/download')
  @ApiOperation({
    summary: "Download (or stream) a version's file",
    description: 'As the staff download: ETag, Range (one byte range) → 206, past the end → 416, If-None-Match → 304; `disposition=inline` lets the player stream audio.',
  })
  @ApiFileContent()
  @ApiProblems(400, 404, 416)
  async downloadPortalVersion(
    @CurrentPortalPrincipal() principal: PortalPrincipal,
    @Param('id', uuidParam) id: string,
    @Query() query: FileContentQueryDto,
    @Headers('range') range: string | undefined,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Headers('if-range') ifRange: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<StreamableFile | undefined> {
    return sendFileContent(await this.projects.download(principal, id, { range, ifNoneMatch, ifRange }), query.disposition, reply);
  }

  @Get(':id/peaks')
  @ApiOperation({ summary: "A version's waveform peaks", description: 'As GET /files/{id}/peaks for the version\'s file.' })
  @ApiOkResponse({ type: FilePeaksDto })
  @ApiProblems(400)
  getPortalVersionPeaks(@CurrentPortalPrincipal() principal: PortalPrincipal, @Param('id', uuidParam) id: string): Promise<FilePeaksDto> {
    return this.projects.versionPeaks(principal, id);
  }

  @Get(':id/comments')
  @ApiOperation({ summary: "A version's review comments (the studio's and the client's)", description: 'Top-level comments by atSeconds, each with its replies oldest first.' })
  @ApiOkResponse({ type: ReviewCommentListDto })
  @ApiProblems(400)
  listPortalReviewComments(@CurrentPortalPrincipal() principal: PortalPrincipal, @Param('id', uuidParam) id: string): Promise<ReviewCommentListDto> {
    return this.comments.list(id, clientReviewer(principal));
  }

  @Post(':id/comments')
  @ApiOperation({ summary: 'Comment on a version at a time position', description: 'Written by the portal account (its name, else its email, as author). A range when `endSeconds` is given.' })
  @ApiCreatedResponse({ type: ReviewCommentDto })
  @ApiProblems(400, 409)
  createPortalReviewComment(@CurrentPortalPrincipal() principal: PortalPrincipal, @Param('id', uuidParam) id: string, @Body() dto: CreateReviewCommentDto): Promise<ReviewCommentDto> {
    return this.comments.create(clientReviewer(principal), id, dto);
  }

  @Post(':id/approve')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Approve a version: the deliverable is approved (closed)', description: `${DECIDABLE} Writes a \`version.approved\` event.` })
  @ApiOkResponse({ type: PortalVersionDto })
  @ApiProblems(400, 409)
  async approvePortalVersion(@CurrentPortalPrincipal() principal: PortalPrincipal, @Param('id', uuidParam) id: string, @Body() dto: PortalDecisionDto): Promise<PortalVersionDto> {
    return toPortalVersion(await this.versions.decide(clientReviewer(principal), id, 'approve', dto.comment));
  }

  @Post(':id/request-changes')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Request changes on a version: the next revision round',
    description: `${DECIDABLE} Rounds count against the project's included number; past it the round is an extra (billable) one (\`extraRound\`, a \`revision.extra_round\` event).`,
  })
  @ApiOkResponse({ type: PortalVersionDto })
  @ApiProblems(400, 409)
  async requestPortalVersionChanges(@CurrentPortalPrincipal() principal: PortalPrincipal, @Param('id', uuidParam) id: string, @Body() dto: PortalDecisionDto): Promise<PortalVersionDto> {
    return toPortalVersion(await this.versions.decide(clientReviewer(principal), id, 'request-changes', dto.comment));
  }
}
