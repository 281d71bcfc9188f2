import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsIn, IsOptional, IsString, Matches, MaxLength, MinLength, ValidateNested } from 'class-validator';
import { blankToNull, trim } from '../../common/input-transforms.js';
import { PageQueryDto } from '../../common/pagination.js';
import { NOTIFICATION_CATEGORIES, NOTIFICATION_CHANNELS, type NotificationCategory, type NotificationChannel } from '../notification-preference.entity.js';
import { NOTIFICATION_ID_PATTERN } from './notification.dto.js';

const ID = new RegExp(NOTIFICATION_ID_PATTERN);

export class ListNotificationsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ pattern: NOTIFICATION_ID_PATTERN, maxLength: 18, description: 'Only notifications after this id (the last one you have)' })
  @IsOptional()
  @IsString()
  @Matches(ID, { message: 'since must be a notification id' })
  since?: string;

  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'true: unread only; false or left out: all' })
  @IsOptional()
  @IsIn(['true', 'false'])
  unread?: 'true' | 'false';
}

export class StreamQueryDto {
  @ApiPropertyOptional({ pattern: NOTIFICATION_ID_PATTERN, maxLength: 18, description: 'For EventSource polyfills that cannot send the `Last-Event-ID` header (the header wins)' })
  @IsOptional()
  @IsString()
  @Matches(ID, { message: 'lastEventId must be a notification id' })
  lastEventId?: string;
}

/** Issue 13, board: the staff stream's query — also the room board's changes when asked. */
export class StaffStreamQueryDto extends StreamQueryDto {
  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'true: also send `board.changed` (no `id:`) when a booking changes, for the live room board' })
  @IsOptional()
  @IsIn(['true', 'false'])
  board?: 'true' | 'false';
}

export class NotificationPreferenceInputDto {
  @ApiProperty({ enum: NOTIFICATION_CATEGORIES, enumName: 'NotificationCategory' })
  @IsIn(NOTIFICATION_CATEGORIES)
  category: NotificationCategory;

  @ApiProperty({ enum: NOTIFICATION_CHANNELS, enumName: 'NotificationChannel' })
  @IsIn(NOTIFICATION_CHANNELS)
  channel: NotificationChannel;
}

export class UpdatePreferencesDto {
  @ApiProperty({ type: [NotificationPreferenceInputDto], minItems: 1, maxItems: NOTIFICATION_CATEGORIES.length, description: 'The categories to change; the others keep theirs' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(NOTIFICATION_CATEGORIES.length)
  @ArrayUnique((p: NotificationPreferenceInputDto) => p?.category, { message: 'each category at most once' })
  @ValidateNested({ each: true })
  @Type(() => NotificationPreferenceInputDto)
  preferences: NotificationPreferenceInputDto[];
}

export class CreateAnnouncementDto {
  @ApiProperty({ minLength: 1, maxLength: 200, example: 'Studio closed on Monday' })
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  title: string;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 5000 })
  @Transform(blankToNull)
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  body?: string | null;
}
