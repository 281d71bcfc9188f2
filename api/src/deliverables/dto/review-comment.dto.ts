import { ApiProperty } from '@nestjs/swagger';
import { MAX_COMMENTS_PER_VERSION } from '../review-limits.js';
import { ReviewPersonDto } from './review-person.dto.js';

export class ReviewCommentDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'uuid' })
  versionId: string;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The thread a reply belongs to; null for a top-level comment' })
  parentId: string | null;

  @ApiProperty({ type: Number, nullable: true, minimum: 0, description: 'Seconds from the start (milliseconds precision); null on a reply' })
  atSeconds: number | null;

  @ApiProperty({ type: Number, nullable: true, description: 'End of a range (greater than atSeconds); null for a point or a reply' })
  endSeconds: number | null;

  @ApiProperty({ minLength: 1, maxLength: 5000 })
  body: string;

  @ApiProperty()
  resolved: boolean;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  resolvedAt: string | null;

  @ApiProperty({ type: ReviewPersonDto })
  author: ReviewPersonDto;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt: string;

  @ApiProperty({ type: () => [ReviewCommentDto], maxItems: MAX_COMMENTS_PER_VERSION, description: 'Replies, oldest first (top-level comments only; a reply has none)' })
  replies: ReviewCommentDto[];
}

export class ReviewCommentListDto {
  @ApiProperty({ type: [ReviewCommentDto], maxItems: MAX_COMMENTS_PER_VERSION, description: 'Top-level comments by atSeconds, each with its replies' })
  items: ReviewCommentDto[];
}
