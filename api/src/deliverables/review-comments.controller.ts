import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Patch, Post } from '@nestjs/common';
import { ApiCookieAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access } from '../auth/access.decorator.js';
import type { Caller } from '../auth/auth.types.js';
import { CurrentCaller } from '../auth/current-principal.decorator.js';
import { ApiProblems } from '../common/api-problems.decorator.js';
import { uuidParam } from '../common/uuid-param.js';
import { CreateReplyDto, CreateReviewCommentDto, UpdateReviewCommentDto } from './dto/deliverable-input.dto.js';
import { ReviewCommentDto, ReviewCommentListDto } from './dto/review-comment.dto.js';
import { ReviewCommentsService } from './review-comments.service.js';
import { staffReviewer } from './reviewer.js';

// Issue 10, reviews: viewers read; engineers and above comment; the author (or an admin) deletes.
@ApiTags('reviews')
@ApiCookieAuth()
@ApiProblems(401, 503)
@Controller('api/v1')
export class ReviewCommentsController {
  constructor(private readonly comments: ReviewCommentsService) {}

  @Get('versions/:id/comments')
  @Access('viewer')
  @ApiOperation({ summary: "A version's review comments", description: 'Top-level comments by atSeconds, each with its replies oldest first.' })
  @ApiOkResponse({ type: ReviewCommentListDto })
  @ApiProblems(400, 404)
  listReviewComments(@Param('id', uuidParam) versionId: string): Promise<ReviewCommentListDto> {
    return this.comments.list(versionId);
  }

  @Post('versions/:id/comments')
  @Access('engineer')
  @ApiOperation({ summary: 'Comment on a version at a time position', description: 'A range when `endSeconds` is given (greater than atSeconds).' })
  @ApiCreatedResponse({ type: ReviewCommentDto })
  @ApiProblems(400, 404, 409)
  createReviewComment(@CurrentCaller() caller: Caller, @Param('id', uuidParam) versionId: string, @Body() dto: CreateReviewCommentDto): Promise<ReviewCommentDto> {
    return this.comments.create(staffReviewer(caller), versionId, dto);
  }

  @Post('comments/:id/replies')
  @Access('engineer')
  @ApiOperation({ summary: 'Reply in a comment thread', description: 'One level: replying to a reply is a 400. A reply has no time position of its own.' })
  @ApiCreatedResponse({ type: ReviewCommentDto })
  @ApiProblems(400, 404, 409)
  replyToReviewComment(@CurrentCaller() caller: Caller, @Param('id', uuidParam) id: string, @Body() dto: CreateReplyDto): Promise<ReviewCommentDto> {
    return this.comments.reply(caller, id, dto);
  }

  @Patch('comments/:id')
  @Access('engineer')
  @ApiOperation({
    summary: 'Edit a comment or resolve / reopen its thread',
    description: '`body`: the author only (403 otherwise). `resolved`: top-level comments only (a reply is resolved with its thread: 400).',
  })
  @ApiOkResponse({ type: ReviewCommentDto })
  @ApiProblems(400, 404)
  updateReviewComment(@CurrentCaller() caller: Caller, @Param('id', uuidParam) id: string, @Body() dto: UpdateReviewCommentDto): Promise<ReviewCommentDto> {
    return this.comments.update(caller, id, dto);
  }

  @Delete('comments/:id')
  @Access('engineer')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Delete a comment (and its replies)', description: 'The author or an admin (403 otherwise).' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiProblems(400, 404)
  deleteReviewComment(@CurrentCaller() caller: Caller, @Param('id', uuidParam) id: string): Promise<void> {
    return this.comments.remove(caller, id);
  }
}
