import { ApiProperty, ApiPropertyOptional, OmitType, PickType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { blankToNull } from '../../common/input-transforms.js';
import { DeliverableDto } from '../../deliverables/dto/deliverable.dto.js';
import { VersionDto } from '../../deliverables/dto/version.dto.js';
import { MAX_DELIVERABLES_PER_PROJECT, MAX_VERSIONS_PER_DELIVERABLE } from '../../deliverables/review-limits.js';
import { FileDto } from '../../files/dto/file.dto.js';
import { ProjectDto } from '../../projects/dto/project.dto.js';
import { MAX_TRACKS, TrackDto } from '../../projects/dto/track.dto.js';

/** The most projects a client's list shows (newest activity first): far above a real client's. */
export const MAX_PORTAL_PROJECTS = 500;

/** Issue 12, portal: a version's file as the client gets it (portal URLs only; no staff fields). */
export class PortalVersionFileDto extends PickType(FileDto, ['name', 'sizeBytes', 'contentType', 'peaksStatus'] as const) {
  @ApiProperty({ maxLength: 100, example: '/api/v1/portal/versions/0b7e…/download', description: 'The bytes (GET; Range supported; `?disposition=inline` to play in place)' })
  downloadUrl: string;

  @ApiProperty({ maxLength: 100, example: '/api/v1/portal/versions/0b7e…/peaks', description: 'The waveform peaks for the player' })
  peaksUrl: string;
}

export class PortalVersionDto extends OmitType(VersionDto, ['file'] as const) {
  @ApiProperty({ type: PortalVersionFileDto })
  file: PortalVersionFileDto;
}

export class PortalDeliverableDto extends PickType(DeliverableDto, ['id', 'trackId', 'title', 'status', 'roundsUsed', 'includedRounds', 'extraRounds', 'approvedAt'] as const) {
  @ApiProperty({ type: [PortalVersionDto], maxItems: MAX_VERSIONS_PER_DELIVERABLE, description: 'Newest first; the first one is the one to review' })
  versions: PortalVersionDto[];
}

export class PortalTrackDto extends PickType(TrackDto, ['id', 'title', 'position', 'status'] as const) {}

export class PortalProjectSummaryDto extends PickType(ProjectDto, ['id', 'title', 'type', 'status', 'dueDate', 'includedRevisionRounds', 'updatedAt'] as const) {
  @ApiProperty({ type: 'integer', format: 'int32', minimum: 0, maximum: MAX_DELIVERABLES_PER_PROJECT, description: 'Deliverables whose latest version awaits the client' })
  awaitingReviewCount: number;
}

/** A version waiting for the client's decision (the dashboard's "awaiting your review"). */
export class PortalAwaitingReviewDto {
  @ApiProperty({ format: 'uuid' }) projectId: string;
  @ApiProperty({ maxLength: 200 }) projectTitle: string;
  @ApiProperty({ format: 'uuid' }) deliverableId: string;
  @ApiProperty({ maxLength: 200 }) deliverableTitle: string;
  @ApiProperty({ format: 'uuid' }) versionId: string;
  @ApiProperty({ type: 'integer', format: 'int32', minimum: 1, maximum: MAX_VERSIONS_PER_DELIVERABLE }) number: number;
  @ApiProperty({ format: 'date-time', description: 'When the version was uploaded' }) createdAt: string;
}

export class PortalProjectListDto {
  @ApiProperty({ type: [PortalProjectSummaryDto], maxItems: MAX_PORTAL_PROJECTS, description: 'Most recently updated first' })
  items: PortalProjectSummaryDto[];

  @ApiProperty({ type: [PortalAwaitingReviewDto], maxItems: MAX_PORTAL_PROJECTS * 10, description: 'Latest versions awaiting review, oldest first' })
  awaitingReview: PortalAwaitingReviewDto[];
}

export class PortalProjectDto extends PortalProjectSummaryDto {
  @ApiProperty({ type: [PortalTrackDto], maxItems: MAX_TRACKS, description: 'In project order' })
  tracks: PortalTrackDto[];

  @ApiProperty({ type: [PortalDeliverableDto], maxItems: MAX_DELIVERABLES_PER_PROJECT, description: 'Oldest first' })
  deliverables: PortalDeliverableDto[];
}

/** A client's decision on a version; the comment is kept with the decision (the version's decisionNote) for the studio. */
export class PortalDecisionDto {
  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 2000, description: 'What the client says with the decision ("vocals up in the chorus")' })
  @Transform(blankToNull)
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  comment?: string | null;
}
