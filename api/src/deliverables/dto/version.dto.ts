import { ApiProperty } from '@nestjs/swagger';
import { VERSION_STATUSES, type VersionStatus } from '../deliverable-version.entity.js';
import { MAX_COMMENTS_PER_VERSION, MAX_VERSIONS_PER_DELIVERABLE } from '../review-limits.js';
import { FileDto } from '../../files/dto/file.dto.js';
import { ReviewPersonDto } from './review-person.dto.js';

export class VersionDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'uuid' })
  deliverableId: string;

  @ApiProperty({ type: 'integer', format: 'int32', minimum: 1, maximum: MAX_VERSIONS_PER_DELIVERABLE, description: 'v1, v2… in upload order' })
  number: number;

  @ApiProperty({ enum: VERSION_STATUSES, enumName: 'VersionStatus' })
  status: VersionStatus;

  @ApiProperty({ type: String, nullable: true, maxLength: 5000 })
  notes: string | null;

  @ApiProperty({
    type: 'integer',
    format: 'int32',
    nullable: true,
    minimum: 1,
    maximum: MAX_VERSIONS_PER_DELIVERABLE,
    description: 'Set when changes were requested: which revision round of the deliverable this was',
  })
  revisionRound: number | null;

  @ApiProperty({ description: "True when this round went past the project's included rounds (billable)" })
  extraRound: boolean;

  @ApiProperty({ type: FileDto })
  file: FileDto;

  @ApiProperty({ type: String, nullable: true, maxLength: 2000, description: 'The note the reviewer gave with the decision' })
  decisionNote: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  decidedAt: string | null;

  @ApiProperty({ type: ReviewPersonDto, nullable: true })
  decidedBy: ReviewPersonDto | null;

  @ApiProperty({ type: 'integer', format: 'int32', minimum: 0, maximum: MAX_COMMENTS_PER_VERSION, description: 'Comment threads (top-level comments) on this version' })
  commentCount: number;

  @ApiProperty({ type: 'integer', format: 'int32', minimum: 0, maximum: MAX_COMMENTS_PER_VERSION, description: 'Threads not resolved yet' })
  openCommentCount: number;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;
}
