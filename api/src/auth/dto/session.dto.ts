import { ApiProperty } from '@nestjs/swagger';

// Issue 7, accounts-mail: the signed-in user's sessions.

export class SessionDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ description: 'This is the session of the request itself' })
  current: boolean;

  @ApiProperty({ example: 'Chrome 131 on macOS 10.15.7', maxLength: 512, description: 'Browser and system in words, from the user agent' })
  summary: string;

  @ApiProperty({ type: String, nullable: true, maxLength: 512, example: 'Chrome 131' })
  browser: string | null;

  @ApiProperty({ type: String, nullable: true, maxLength: 512, example: 'macOS 10.15.7' })
  os: string | null;

  @ApiProperty({ enum: ['desktop', 'mobile', 'tablet', 'other'], description: 'Kind of device; desktop when the user agent does not say' })
  deviceType: 'desktop' | 'mobile' | 'tablet' | 'other';

  @ApiProperty({ type: String, nullable: true, maxLength: 512, description: 'The raw User-Agent header the session started with' })
  userAgent: string | null;

  @ApiProperty({ type: String, nullable: true, maxLength: 64, example: '203.0.113.7', description: 'The address the session started from' })
  ipAddress: string | null;

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt: string;

  @ApiProperty({ type: String, format: 'date-time', description: 'Updated at most once a minute' })
  lastSeenAt: string;
}

export class SessionListDto {
  @ApiProperty({ type: [SessionDto], maxItems: 100, description: 'Live sessions of the signed-in user, newest first (the current one included)' })
  items: SessionDto[];
}
