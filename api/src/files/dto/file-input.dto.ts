import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID } from 'class-validator';

export class ProjectFilesQueryDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Only the files of this track (of the project)' })
  @IsOptional()
  @IsUUID()
  trackId?: string;
}

export const DISPOSITIONS = ['attachment', 'inline'] as const;

export class FileContentQueryDto {
  @ApiPropertyOptional({
    enum: DISPOSITIONS,
    default: 'attachment',
    description: '`inline` lets a browser play audio in place (types that cannot run script only; anything else stays an attachment)',
  })
  @IsOptional()
  @IsIn(DISPOSITIONS)
  disposition?: (typeof DISPOSITIONS)[number];
}
