import { ApiProperty } from '@nestjs/swagger';
import { DELIVERABLE_STATUSES, type DeliverableStatus } from '../deliverable.entity.js';
import { MAX_DELIVERABLES_PER_PROJECT, MAX_VERSIONS_PER_DELIVERABLE } from '../review-limits.js';
import { VersionDto } from './version.dto.js';

export class DeliverableDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'uuid' })
  projectId: string;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  trackId: string | null;

  @ApiProperty({ maxLength: 200, example: 'Track 3 — mix' })
  title: string;

  @ApiProperty({ enum: DELIVERABLE_STATUSES, enumName: 'DeliverableStatus', description: 'approved once a version is approved (closed)' })
  status: DeliverableStatus;

  @ApiProperty({ type: 'integer', format: 'int32', minimum: 0, maximum: MAX_VERSIONS_PER_DELIVERABLE, description: '"Changes requested" decisions so far' })
  roundsUsed: number;

  @ApiProperty({ type: 'integer', format: 'int32', minimum: 0, maximum: 100, description: "The project's included revision rounds (per deliverable)" })
  includedRounds: number;

  @ApiProperty({ type: 'integer', format: 'int32', minimum: 0, maximum: MAX_VERSIONS_PER_DELIVERABLE, description: 'Rounds past the included ones (billable)' })
  extraRounds: number;

  @ApiProperty({ type: 'integer', format: 'int32', minimum: 0, maximum: MAX_VERSIONS_PER_DELIVERABLE })
  versionCount: number;

  @ApiProperty({ type: VersionDto, nullable: true })
  latestVersion: VersionDto | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  approvedAt: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt: string;
}

export class DeliverableDetailDto extends DeliverableDto {
  @ApiProperty({ type: [VersionDto], maxItems: MAX_VERSIONS_PER_DELIVERABLE, description: 'Newest first' })
  versions: VersionDto[];
}

export class DeliverableListDto {
  @ApiProperty({ type: [DeliverableDto], maxItems: MAX_DELIVERABLES_PER_PROJECT, description: 'Oldest first' })
  items: DeliverableDto[];
}
