import { ApiProperty } from '@nestjs/swagger';
import { PagedListDto } from '../../common/pagination.js';
import { NOTIFICATION_ID_PATTERN } from './notification.dto.js';

/** Issue 13, board: a notification of the client portal (portal-notification-rules.ts decides which and what). */
export class PortalNotificationDto {
  @ApiProperty({ pattern: NOTIFICATION_ID_PATTERN, maxLength: 18, description: "Increasing within the studio's portal notifications: the stream's event id (`Last-Event-ID`)", example: '7' })
  id: string;

  @ApiProperty({ maxLength: 100, description: 'The event: `booking.confirmed`, `booking.changed`, `booking.cancelled`, `booking.created`, `invoice.sent`, `quote.sent`, `version.uploaded`', example: 'booking.confirmed' })
  type: string;

  @ApiProperty({ maxLength: 200, example: 'Session confirmed: Album tracking' })
  title: string;

  @ApiProperty({ type: String, nullable: true, maxLength: 5000 })
  body: string | null;

  @ApiProperty({ type: 'object', properties: {}, description: 'What the client may see of the event (title and times of a booking, a document number, the project and version of a review)' })
  payload: Record<string, unknown>;

  @ApiProperty({ maxLength: 50, description: '`booking`, `invoice`, `quote` or `deliverable_version`', example: 'booking' })
  subjectType: string;

  @ApiProperty({ format: 'uuid' })
  subjectId: string;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  readAt: string | null;
}

export class PortalNotificationListDto extends PagedListDto(PortalNotificationDto) {}
