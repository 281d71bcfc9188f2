import { ApiProperty } from '@nestjs/swagger';

export const BOARD_STATES = ['free', 'occupied', 'hold'] as const;
export type BoardState = (typeof BOARD_STATES)[number];
/** At most this many rooms on the board (active rooms, by name). */
export const BOARD_MAX_ROOMS = 200;
const SECONDS = { type: 'integer', format: 'int32', minimum: 0, maximum: 2147483647 } as const;

export class BoardEngineerDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ maxLength: 200, description: "The engineer's name (empty when they have left the studio)" })
  name: string;
}

export class BoardSessionDto {
  @ApiProperty({ format: 'uuid' })
  bookingId: string;

  @ApiProperty({ maxLength: 200 })
  title: string;

  @ApiProperty({ enum: ['hold', 'confirmed', 'in_progress'], description: '`in_progress`: checked in' })
  status: 'hold' | 'confirmed' | 'in_progress';

  @ApiProperty({ maxLength: 200 })
  clientName: string;

  @ApiProperty({ type: [BoardEngineerDto], maxItems: 50 })
  engineers: BoardEngineerDto[];

  @ApiProperty({ format: 'date-time', description: 'Scheduled start' })
  startsAt: string;

  @ApiProperty({ format: 'date-time', description: 'Scheduled end' })
  endsAt: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'Check-in time; null when not checked in' })
  actualStartAt: string | null;

  @ApiProperty({ ...SECONDS, description: 'Seconds since the check-in (else the scheduled start), at `serverTime`' })
  elapsedSeconds: number;

  @ApiProperty({ ...SECONDS, description: 'Seconds until the scheduled end, at `serverTime` (0 once past it)' })
  remainingSeconds: number;

  @ApiProperty({ description: 'Checked in, past the scheduled end and not checked out' })
  overtime: boolean;

  @ApiProperty({ ...SECONDS, description: 'Seconds past the scheduled end while in overtime, else 0' })
  overtimeSeconds: number;
}

export class BoardNextBookingDto {
  @ApiProperty({ format: 'uuid' })
  bookingId: string;

  @ApiProperty({ maxLength: 200 })
  title: string;

  @ApiProperty({ enum: ['hold', 'confirmed'] })
  status: 'hold' | 'confirmed';

  @ApiProperty({ maxLength: 200 })
  clientName: string;

  @ApiProperty({ format: 'date-time' })
  startsAt: string;

  @ApiProperty({ format: 'date-time' })
  endsAt: string;
}

export class RoomBoardEntryDto {
  @ApiProperty({ format: 'uuid' })
  roomId: string;

  @ApiProperty({ maxLength: 120 })
  name: string;

  @ApiProperty({ maxLength: 7, pattern: '^#[0-9a-f]{6}$' })
  colour: string;

  @ApiProperty({ enum: BOARD_STATES, enumName: 'RoomBoardState', description: '`occupied`: checked in, or a confirmed booking\'s time; `hold`: a hold\'s time; `free`: neither' })
  state: BoardState;

  @ApiProperty({ type: BoardSessionDto, nullable: true, description: 'The session in the room now' })
  current: BoardSessionDto | null;

  @ApiProperty({ type: BoardNextBookingDto, nullable: true, description: 'The next booking (hold or confirmed) starting after now' })
  next: BoardNextBookingDto | null;
}

export class RoomBoardDto {
  @ApiProperty({ format: 'date-time', description: 'The server clock the figures are computed at: tick elapsed/remaining from it, not from the device clock' })
  serverTime: string;

  @ApiProperty({ type: [RoomBoardEntryDto], maxItems: BOARD_MAX_ROOMS, description: 'Active rooms by name' })
  rooms: RoomBoardEntryDto[];
}
