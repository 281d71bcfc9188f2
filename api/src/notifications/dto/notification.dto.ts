import { ApiProperty } from '@nestjs/swagger';
import { PagedListDto } from '../../common/pagination.js';
import { NOTIFICATION_CATEGORIES, NOTIFICATION_CHANNELS, type NotificationCategory, type NotificationChannel } from '../notification-preference.entity.js';

export const NOTIFICATION_ID_PATTERN = '^[0-9]{1,18}$';

export class NotificationDto {
  @ApiProperty({ pattern: NOTIFICATION_ID_PATTERN, maxLength: 18, description: 'Increasing within the studio: the stream\'s event id (`Last-Event-ID`)', example: '42' })
  id: string;

  @ApiProperty({ maxLength: 100, description: 'The event, e.g. `booking.created` (the stream\'s `event:` name)', example: 'booking.created' })
  type: string;

  @ApiProperty({ enum: NOTIFICATION_CATEGORIES, enumName: 'NotificationCategory' })
  category: NotificationCategory;

  @ApiProperty({ maxLength: 200, example: 'New booking: Album tracking' })
  title: string;

  @ApiProperty({ type: String, nullable: true, maxLength: 5000 })
  body: string | null;

  @ApiProperty({ type: 'object', properties: {}, description: 'The event\'s details (ids, times, numbers), as a JSON object whose fields depend on the type' })
  payload: Record<string, unknown>;

  @ApiProperty({ maxLength: 50, description: 'What it is about: `booking`, `invoice`, `user`…', example: 'booking' })
  subjectType: string;

  @ApiProperty({ format: 'uuid' })
  subjectId: string;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'Who caused it; null for the system' })
  actorId: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  readAt: string | null;
}

export class NotificationListDto extends PagedListDto(NotificationDto) {}

export class UnreadCountDto {
  @ApiProperty({ type: 'integer', format: 'int32', minimum: 0, maximum: 2147483647 })
  count: number;
}

export class ReadAllResultDto {
  @ApiProperty({ type: 'integer', format: 'int32', minimum: 0, maximum: 2147483647, description: 'How many were marked read' })
  marked: number;
}

export class NotificationPreferenceDto {
  @ApiProperty({ enum: NOTIFICATION_CATEGORIES, enumName: 'NotificationCategory' })
  category: NotificationCategory;

  @ApiProperty({ enum: NOTIFICATION_CHANNELS, enumName: 'NotificationChannel', description: '`email` and `both` are stored; email delivery is not sent yet' })
  channel: NotificationChannel;
}

export class NotificationPreferencesDto {
  @ApiProperty({ type: [NotificationPreferenceDto], maxItems: NOTIFICATION_CATEGORIES.length, description: 'Every category, defaults included' })
  preferences: NotificationPreferenceDto[];
}

export class AnnouncementDto {
  @ApiProperty({ pattern: NOTIFICATION_ID_PATTERN, maxLength: 18, description: 'The outbox event: the dispatcher fans it out to every member' })
  eventId: string;
}
