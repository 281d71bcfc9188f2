import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsNumber, IsOptional, IsString, IsUUID, Max, MaxLength, Min, MinLength, ValidateIf } from 'class-validator';
import { blankToNull, trim } from '../../common/input-transforms.js';

/** numeric(10,3) in the database: seconds to the millisecond, under 10^7. */
const MAX_SECONDS = 9_999_999;
const seconds = { allowNaN: false, allowInfinity: false, maxDecimalPlaces: 3 };

export class CreateDeliverableDto {
  @ApiProperty({ minLength: 1, maxLength: 200, example: 'Track 3 — mix' })
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  title: string;

  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true, description: 'A track of the same project' })
  @IsOptional()
  @IsUUID()
  trackId?: string | null;
}

/** Only the fields sent change; `trackId: null` detaches the deliverable from its track. */
export class UpdateDeliverableDto {
  @ApiPropertyOptional({ minLength: 1, maxLength: 200 })
  @Transform(trim)
  @ValidateIf((o: UpdateDeliverableDto) => o.title !== undefined)
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  title?: string;

  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true, description: 'A track of the same project; null detaches' })
  @IsOptional()
  @IsUUID()
  trackId?: string | null;
}

export class CreateVersionDto {
  @ApiProperty({ format: 'uuid', description: "An uploaded file of the deliverable's project" })
  @IsUUID()
  fileId: string;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 5000, description: 'What changed in this version' })
  @Transform(blankToNull)
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  notes?: string | null;
}

export class DecideVersionDto {
  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 2000, description: "Kept with the decision (the version's decisionNote), and in its event and audit entry" })
  @Transform(blankToNull)
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  note?: string | null;
}

export class CreateReviewCommentDto {
  @ApiProperty({ type: Number, minimum: 0, maximum: MAX_SECONDS, description: 'Seconds from the start, up to 3 decimals', example: 3.25 })
  @IsNumber(seconds)
  @Min(0)
  @Max(MAX_SECONDS)
  atSeconds: number;

  @ApiPropertyOptional({ type: Number, nullable: true, minimum: 0, maximum: MAX_SECONDS, description: 'End of a range: greater than atSeconds' })
  @IsOptional()
  @IsNumber(seconds)
  @Min(0)
  @Max(MAX_SECONDS)
  endSeconds?: number | null;

  @ApiProperty({ minLength: 1, maxLength: 5000 })
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(5000)
  body: string;
}

export class CreateReplyDto {
  @ApiProperty({ minLength: 1, maxLength: 5000 })
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(5000)
  body: string;
}

/** `body`: the author only; `resolved`: anyone who may write, on a top-level comment (a thread). */
export class UpdateReviewCommentDto {
  @ApiPropertyOptional({ minLength: 1, maxLength: 5000 })
  @Transform(trim)
  @ValidateIf((o: UpdateReviewCommentDto) => o.body !== undefined)
  @IsString()
  @MinLength(1)
  @MaxLength(5000)
  body?: string;

  @ApiPropertyOptional()
  @ValidateIf((o: UpdateReviewCommentDto) => o.resolved !== undefined)
  @IsBoolean()
  resolved?: boolean;
}
