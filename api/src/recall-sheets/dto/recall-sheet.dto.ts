import { ApiProperty } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsDefined, IsInt, IsString, Max, MaxLength, Min, MinLength, ValidateNested } from 'class-validator';
import { trim } from '../../common/input-transforms.js';

export const MAX_RECALL_TRACKS = 200;
export const MAX_RECALL_SETTINGS = 200;
export const MAX_RECALL_NOTES = 20_000;

const trimEach = ({ value }: { value: unknown }) => (Array.isArray(value) ? value.map((v) => (typeof v === 'string' ? v.trim() : v)) : value);

export class RecallSettingDto {
  @ApiProperty({ minLength: 1, maxLength: 200, example: 'Vocal mic' })
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  label: string;

  @ApiProperty({ maxLength: 1000, example: 'U87, cardioid, pad off' })
  @Transform(trim)
  @IsString()
  @MaxLength(1000)
  value: string;
}

export class SaveRecallSheetDto {
  @ApiProperty({
    minimum: 0,
    maximum: 1_000_000,
    description: 'The version the editor started from (0 for the first save). Another save since then is a 409 `recall-sheet-stale`: reload and merge.',
  })
  @IsDefined()
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  baseVersion: number;

  @ApiProperty({ type: 'array', items: { type: 'string', minLength: 1, maxLength: 300 }, maxItems: MAX_RECALL_TRACKS, description: 'Track titles worked on', example: ['Intro', 'Night Drive'] })
  @Transform(trimEach)
  @IsArray()
  @ArrayMaxSize(MAX_RECALL_TRACKS)
  @IsString({ each: true })
  @MinLength(1, { each: true })
  @MaxLength(300, { each: true })
  tracks: string[];

  @ApiProperty({ type: [RecallSettingDto], maxItems: MAX_RECALL_SETTINGS, description: 'Mic, preamp and outboard settings as label/value rows' })
  @IsArray()
  @ArrayMaxSize(MAX_RECALL_SETTINGS)
  @ValidateNested({ each: true })
  @Type(() => RecallSettingDto)
  settings: RecallSettingDto[];

  @ApiProperty({ maxLength: MAX_RECALL_NOTES, description: 'Free text' })
  @IsString()
  @MaxLength(MAX_RECALL_NOTES)
  notes: string;
}

export class RecallSheetDto {
  @ApiProperty({ format: 'uuid' })
  bookingId: string;

  @ApiProperty({ minimum: 1 })
  version: number;

  @ApiProperty({ type: 'array', items: { type: 'string', maxLength: 300 }, maxItems: MAX_RECALL_TRACKS })
  tracks: string[];

  @ApiProperty({ type: [RecallSettingDto], maxItems: MAX_RECALL_SETTINGS })
  settings: RecallSettingDto[];

  @ApiProperty({ maxLength: MAX_RECALL_NOTES })
  notes: string;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The user who saved this version' })
  savedBy: string | null;

  @ApiProperty({ format: 'date-time' })
  savedAt: string;
}

/** A version without its body, for the history list. */
export class RecallSheetVersionDto {
  @ApiProperty({ minimum: 1 })
  version: number;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  savedBy: string | null;

  @ApiProperty({ format: 'date-time' })
  savedAt: string;
}

export class RecallSheetVersionListDto {
  @ApiProperty({ type: [RecallSheetVersionDto], maxItems: 1_000_000, description: 'Newest first (every version: a booking gathers a handful)' })
  items: RecallSheetVersionDto[];
}
