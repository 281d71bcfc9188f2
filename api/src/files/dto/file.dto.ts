import { ApiProperty } from '@nestjs/swagger';
import { PEAKS_STATUSES, type PeaksStatus } from '../stored-file.entity.js';

/** What the binary schemas declare as their bound: MAX_UPLOAD_MB's default (the configured limit is what counts). */
export const MAX_FILE_BYTES = 2048 * 1024 * 1024;

/** Issue 10: an uploaded file. `name` is the uploader's file name, for display and downloads only. */
export class FileDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  projectId: string | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  trackId: string | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  bookingId: string | null;

  @ApiProperty({ maxLength: 255, example: 'Track 3 - mix v2.wav', description: 'The original file name: display only, never a path' })
  name: string;

  @ApiProperty({ type: 'integer', format: 'int64', minimum: 1, maximum: Number.MAX_SAFE_INTEGER, example: 52428800 })
  sizeBytes: number;

  @ApiProperty({ maxLength: 127, example: 'audio/wav', description: 'Sniffed from the bytes; application/octet-stream when unknown' })
  contentType: string;

  @ApiProperty({ minLength: 64, maxLength: 64, pattern: '^[0-9a-f]{64}$', description: 'SHA-256 of the bytes, hex' })
  sha256: string;

  @ApiProperty({ enum: PEAKS_STATUSES, enumName: 'PeaksStatus', description: 'Waveform peaks: `none` for files that are not decodable audio' })
  peaksStatus: PeaksStatus;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The user who uploaded it' })
  uploadedBy: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ maxLength: 100, example: '/api/v1/files/0b7e…/content', description: 'Where the bytes are (GET; Range supported)' })
  contentUrl: string;
}

export class FileListDto {
  @ApiProperty({ type: [FileDto], maxItems: 100000 })
  items: FileDto[];
}

export class StorageUsageDto {
  @ApiProperty({ type: 'integer', format: 'int64', minimum: 0, maximum: Number.MAX_SAFE_INTEGER, description: 'Bytes of every file of the studio' })
  usedBytes: number;

  @ApiProperty({ type: 'integer', format: 'int64', minimum: 0, maximum: Number.MAX_SAFE_INTEGER })
  fileCount: number;
}

/** The multipart/form-data body of an upload (documentation only: the controller streams it). */
export class FileUploadBodyDto {
  @ApiProperty({ type: 'string', format: 'binary', maxLength: MAX_FILE_BYTES, description: 'The file; its part name must be `file` (MAX_UPLOAD_MB caps it)' })
  file: unknown;
}
