import { ApiProperty } from '@nestjs/swagger';
import { PEAKS_STATUSES, type PeaksStatus } from '../../files/stored-file.entity.js';

/**
 * The contract's File shape, as a version shows its file. The files module (helper `files`) owns the
 * File DTO; this copy exists only so the reviews work could be built alongside it: at merge, swap this
 * class for the files module's FileDto and `toReviewFileDto` (deliverable-views.ts) for its mapper.
 */
export class ReviewFileDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  projectId: string | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  trackId: string | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  bookingId: string | null;

  @ApiProperty({ maxLength: 255, description: 'The original file name: display only' })
  name: string;

  @ApiProperty({ type: 'integer', format: 'int64', minimum: 1, maximum: Number.MAX_SAFE_INTEGER })
  sizeBytes: number;

  @ApiProperty({ maxLength: 127, description: 'Sniffed from the bytes' })
  contentType: string;

  @ApiProperty({ minLength: 64, maxLength: 64, pattern: '^[0-9a-f]{64}$' })
  sha256: string;

  @ApiProperty({ enum: PEAKS_STATUSES, enumName: 'PeaksStatus' })
  peaksStatus: PeaksStatus;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The user who uploaded it' })
  uploadedBy: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ maxLength: 100, example: '/api/v1/files/0b5c1a8e-0000-4000-8000-000000000000/content' })
  contentUrl: string;
}
