import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsNumber, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import { ISRC_PATTERN, TRACK_STATUSES, type TrackStatus } from '../track.entity.js';
import { blankToNull, IfPresent, trim } from '../../common/input-transforms.js';

/** A project holds at most this many tracks (a box set, a podcast season): bounds the reorder list. */
export const MAX_TRACKS = 500;

/**
 * ISRCs are printed as "US-S1Z-99-00001" or in lower case: hyphens and spaces go, letters go up, and
 * then the code must be the 12 characters of ISO 3901. Blank means none.
 */
const normaliseIsrc = ({ value }: { value: unknown }) => {
  if (typeof value !== 'string') return value;
  const code = value.replace(/[\s-]/g, '').toUpperCase();
  return code === '' ? null : code;
};

export class TrackDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'uuid' })
  projectId: string;

  @ApiProperty({ maxLength: 200, example: 'Night Flight' })
  title: string;

  @ApiProperty({ type: 'integer', format: 'int32', minimum: 1, maximum: MAX_TRACKS, description: '1-based order in the project' })
  position: number;

  @ApiProperty({ type: String, nullable: true, maxLength: 200 })
  artist: string | null;

  @ApiProperty({ type: String, nullable: true, minLength: 12, maxLength: 12, pattern: ISRC_PATTERN.source, example: 'USS1Z9900001' })
  isrc: string | null;

  @ApiProperty({ type: Number, nullable: true, minimum: 0.01, maximum: 999.99, description: 'Beats per minute, two decimals', example: 92.5 })
  bpm: number | null;

  @ApiProperty({ type: String, nullable: true, maxLength: 20, example: 'F# minor' })
  key: string | null;

  @ApiProperty({ enum: TRACK_STATUSES, enumName: 'TrackStatus' })
  status: TrackStatus;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt: string;
}

export class TrackListDto {
  @ApiProperty({ type: [TrackDto], maxItems: MAX_TRACKS })
  items: TrackDto[];
}

/** The fields of a track with a default or a "none": the same on create and update. */
export class TrackFieldsDto {
  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 200 })
  @Transform(blankToNull)
  @IsOptional()
  @IsString()
  @MaxLength(200)
  artist?: string | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    maxLength: 20,
    example: 'US-S1Z-99-00001',
    description: 'ISO 3901 ISRC; hyphens, spaces and lower case are accepted and stored as the 12-character code',
  })
  @Transform(normaliseIsrc)
  @IsOptional()
  @IsString()
  @MaxLength(20)
  @Matches(ISRC_PATTERN, { message: 'isrc must be an ISRC: 2 letters, 3 letters or digits, 7 digits (e.g. US-S1Z-99-00001)' })
  isrc?: string | null;

  @ApiPropertyOptional({ type: Number, nullable: true, minimum: 0.01, maximum: 999.99, description: 'At most two decimals' })
  @IsOptional()
  @IsNumber({ maxDecimalPlaces: 2, allowNaN: false, allowInfinity: false })
  @Min(0.01)
  @Max(999.99)
  bpm?: number | null;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 20, example: 'F# minor' })
  @Transform(blankToNull)
  @IsOptional()
  @IsString()
  @MaxLength(20)
  key?: string | null;

  @ApiPropertyOptional({ enum: TRACK_STATUSES, enumName: 'TrackStatus', default: 'recording' })
  @IfPresent()
  @IsIn(TRACK_STATUSES)
  status?: TrackStatus;
}

export class CreateTrackDto extends TrackFieldsDto {
  @ApiProperty({ minLength: 1, maxLength: 200, example: 'Night Flight' })
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  title: string;
}

/** Every field optional; null clears artist, isrc, bpm and key. */
export class UpdateTrackDto extends TrackFieldsDto {
  @ApiPropertyOptional({ minLength: 1, maxLength: 200 })
  @Transform(trim)
  @IfPresent()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  title?: string;
}

export class ReorderTracksDto {
  @ApiProperty({ type: [String], format: 'uuid', maxItems: MAX_TRACKS, description: 'Every track of the project, exactly once, in the new order' })
  @IsArray()
  @ArrayMaxSize(MAX_TRACKS)
  @IsUUID(undefined, { each: true })
  trackIds: string[];
}
