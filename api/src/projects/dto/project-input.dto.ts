import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsISO8601, IsObject, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, MinLength, ValidateNested } from 'class-validator';
import { PageQueryDto } from '../../common/pagination.js';
import { IsCurrencyCode } from '../../studio/studio-validators.js';
import { PROJECT_STATUSES, PROJECT_TYPES, type ProjectStatus, type ProjectType } from '../project.entity.js';
import { MAX_BUDGET_MINOR } from './project.dto.js';
import { blankToNull, IfPresent, trim } from '../../common/input-transforms.js';

/** `status=a,b` and `status=a&status=b` both give [a, b]. */
const list = ({ value }: { value: unknown }) =>
  (Array.isArray(value) ? value : [value]).flatMap((v) => (typeof v === 'string' ? v.split(',') : [v])).filter((v) => v !== '');

export class BudgetInputDto {
  @ApiProperty({ type: 'integer', format: 'int64', minimum: 0, maximum: MAX_BUDGET_MINOR, description: 'Minor units of `currency` (cents)' })
  @IsInt()
  @Min(0)
  @Max(MAX_BUDGET_MINOR)
  amountMinor: number;

  @ApiProperty({ minLength: 3, maxLength: 3, example: 'EUR' })
  @IsString()
  @MaxLength(3)
  @IsCurrencyCode()
  currency: string;
}

/** The fields of a project with a default or a "none": the same on create and update. */
export class ProjectFieldsDto {
  @ApiPropertyOptional({ enum: PROJECT_STATUSES, enumName: 'ProjectStatus', default: 'planned' })
  @IfPresent()
  @IsIn(PROJECT_STATUSES)
  status?: ProjectStatus;

  @ApiPropertyOptional({ type: 'integer', format: 'int32', minimum: 0, maximum: 100, default: 2 })
  @IfPresent()
  @IsInt()
  @Min(0)
  @Max(100)
  includedRevisionRounds?: number;

  @ApiPropertyOptional({ type: BudgetInputDto, nullable: true, description: 'null: no budget' })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => BudgetInputDto)
  budget?: BudgetInputDto | null;

  @ApiPropertyOptional({ type: String, format: 'date', nullable: true, maxLength: 10, example: '2031-06-30' })
  @Transform(blankToNull)
  @IsOptional()
  @IsString()
  @MaxLength(10)
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'dueDate must be a date YYYY-MM-DD' })
  @IsISO8601({ strict: true }, { message: 'dueDate must be a real calendar date' })
  dueDate?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 5000 })
  @Transform(blankToNull)
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  notes?: string | null;
}

export class CreateProjectDto extends ProjectFieldsDto {
  @ApiProperty({ format: 'uuid', description: 'A client of your studio' })
  @IsUUID()
  clientId: string;

  @ApiProperty({ minLength: 1, maxLength: 200, example: 'Night Flights (LP)' })
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  title: string;

  @ApiProperty({ enum: PROJECT_TYPES, enumName: 'ProjectType' })
  @IsIn(PROJECT_TYPES)
  type: ProjectType;
}

/** Only the fields sent change; null clears budget, dueDate and notes. The client of a project does not change. */
export class UpdateProjectDto extends ProjectFieldsDto {
  @ApiPropertyOptional({ minLength: 1, maxLength: 200, example: 'Night Flights (LP)' })
  @Transform(trim)
  @IfPresent()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  title?: string;

  @ApiPropertyOptional({ enum: PROJECT_TYPES, enumName: 'ProjectType' })
  @IfPresent()
  @IsIn(PROJECT_TYPES)
  type?: ProjectType;
}

export class ListProjectsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  clientId?: string;

  @ApiPropertyOptional({
    type: [String],
    enum: PROJECT_STATUSES,
    maxItems: PROJECT_STATUSES.length,
    description: 'Only these statuses (repeat or comma-separate); default: all but archived',
  })
  @IsOptional()
  @Transform(list)
  @IsArray()
  @ArrayMaxSize(PROJECT_STATUSES.length)
  @IsIn(PROJECT_STATUSES, { each: true })
  status?: ProjectStatus[];

  @ApiPropertyOptional({ enum: PROJECT_TYPES, enumName: 'ProjectType' })
  @IsOptional()
  @IsIn(PROJECT_TYPES)
  type?: ProjectType;

  @ApiPropertyOptional({ maxLength: 200, description: 'Title contains (case-insensitive)' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  q?: string;
}
