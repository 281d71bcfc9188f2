import { ApiProperty } from '@nestjs/swagger';
import { BookingDto, MAX_CALENDAR_ITEMS } from '../../bookings/dto/booking.dto.js';
import { PagedListDto } from '../../common/pagination.js';
import { PROJECT_STATUSES, PROJECT_TYPES, type ProjectStatus, type ProjectType } from '../project.entity.js';

/** Largest budget accepted, in minor units: well inside JSON's exact integers (bigint column). */
export const MAX_BUDGET_MINOR = 999_999_999_999;
const INT32 = { type: 'integer', format: 'int32', minimum: 0, maximum: 2147483647 } as const;
const INT64 = { type: 'integer', format: 'int64', minimum: 0, maximum: Number.MAX_SAFE_INTEGER } as const;

export class ProjectClientDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ maxLength: 200 })
  name: string;
}

export class BudgetDto {
  @ApiProperty({ type: 'integer', format: 'int64', minimum: 0, maximum: MAX_BUDGET_MINOR, description: 'Minor units of `currency` (cents)', example: 1500000 })
  amountMinor: number;

  @ApiProperty({ minLength: 3, maxLength: 3, example: 'EUR', description: 'ISO 4217' })
  currency: string;
}

export class ProjectDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'uuid' })
  clientId: string;

  @ApiProperty({ type: ProjectClientDto })
  client: ProjectClientDto;

  @ApiProperty({ maxLength: 200, example: 'Night Flights (LP)' })
  title: string;

  @ApiProperty({ enum: PROJECT_TYPES, enumName: 'ProjectType' })
  type: ProjectType;

  @ApiProperty({ enum: PROJECT_STATUSES, enumName: 'ProjectStatus' })
  status: ProjectStatus;

  @ApiProperty({ type: 'integer', format: 'int32', minimum: 0, maximum: 100, description: 'Review rounds each deliverable includes before further ones are billable' })
  includedRevisionRounds: number;

  @ApiProperty({ type: BudgetDto, nullable: true })
  budget: BudgetDto | null;

  @ApiProperty({ type: String, format: 'date', nullable: true, maxLength: 10, example: '2031-06-30' })
  dueDate: string | null;

  @ApiProperty({ type: String, nullable: true, maxLength: 5000 })
  notes: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt: string;
}

export class ProjectListDto extends PagedListDto(ProjectDto) {
  @ApiProperty({ ...INT32, description: 'How many projects match the filters in all (every page says the same)' })
  total: number;
}

/** What the project has used so far: sessions from its bookings, work from its tracks, files and deliverables. */
export class ProjectSummaryDto {
  @ApiProperty({ ...INT32, description: 'Bookings of the project, cancelled and no-show ones left out' })
  bookingCount: number;

  @ApiProperty({ ...INT32, description: 'Booked session time of those bookings, in minutes' })
  bookedMinutes: number;

  @ApiProperty({ ...INT64, description: 'What those bookings cost (as GET /bookings/{id}/summary computes it), in minor units of `currency`' })
  bookedAmountMinor: number;

  @ApiProperty({ minLength: 3, maxLength: 3, example: 'EUR', description: "The studio's currency; bookings in another currency are not added up" })
  currency: string;

  @ApiProperty(INT32)
  trackCount: number;

  @ApiProperty(INT32)
  fileCount: number;

  @ApiProperty({ ...INT64, description: 'Bytes of the files uploaded to the project' })
  storageBytes: number;

  @ApiProperty(INT32)
  deliverableCount: number;

  @ApiProperty(INT32)
  approvedDeliverableCount: number;

  @ApiProperty({ ...INT32, description: 'Review rounds used, over all deliverables' })
  revisionRoundsUsed: number;

  @ApiProperty({ ...INT32, description: 'Of those, rounds past the included number (billable extras)' })
  extraRounds: number;
}

export class ProjectDetailDto extends ProjectDto {
  @ApiProperty({ type: ProjectSummaryDto })
  summary: ProjectSummaryDto;
}

export class ProjectBookingsDto {
  @ApiProperty({ type: [BookingDto], maxItems: MAX_CALENDAR_ITEMS, description: 'The bookings of the project (every status), by start time' })
  items: BookingDto[];
}
