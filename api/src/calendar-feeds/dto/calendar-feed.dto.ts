import { ApiProperty } from '@nestjs/swagger';

export class CalendarFeedCreatedDto {
  @ApiProperty({ format: 'uri', maxLength: 2048, description: 'The secret feed URL, shown only now. Anyone with it can read the calendar: revoke (DELETE) or rotate (POST again) to cut them off.' })
  url: string;

  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;
}
