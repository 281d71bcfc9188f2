import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCookieAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access } from '../auth/access.decorator.js';
import { ApiProblems } from '../common/api-problems.decorator.js';
import { uuidParam } from '../common/uuid-param.js';
import { CreateRoomDto, ListRoomsQueryDto, UpdateRoomDto } from './dto/room-input.dto.js';
import { RoomBoardDto } from './dto/room-board.dto.js';
import { RoomDto, RoomListDto } from './dto/room.dto.js';
import { RoomBoardService } from './room-board.service.js';
import { RoomsService } from './rooms.service.js';

// Issue 9 (resources): everyone reads the rooms; admins set them up (rates and rules are the studio's business).
@ApiTags('rooms')
@ApiCookieAuth()
@ApiProblems(401, 503)
@Controller('api/v1/rooms')
export class RoomsController {
  constructor(
    private readonly rooms: RoomsService,
    private readonly roomBoard: RoomBoardService, // issue 13, board
  ) {}

  @Post()
  @Access('admin')
  @ApiOperation({
    summary: 'Add a room',
    description: "Only `name` is required. `currency` defaults to the studio's. A name another room has (whatever the case) is a 409.",
  })
  @ApiCreatedResponse({ type: RoomDto })
  @ApiProblems(400, 409)
  createRoom(@Body() dto: CreateRoomDto): Promise<RoomDto> {
    return this.rooms.create(dto);
  }

  @Get()
  @Access('viewer')
  @ApiOperation({
    summary: 'List rooms by name, with filters and cursor pagination',
    description: 'Ordered by name (case-insensitive), then id. Pass `nextCursor` back as `cursor`, with the same filters, for the next page.',
  })
  @ApiOkResponse({ type: RoomListDto })
  @ApiProblems(400)
  listRooms(@Query() query: ListRoomsQueryDto): Promise<RoomListDto> {
    return this.rooms.list(query);
  }

  // Issue 13, board: declared before `:id` so "board" is never read as a room id.
  @Get('board')
  @Access('viewer')
  @ApiOperation({
    summary: 'The live room board: what each room is doing now and next',
    description:
      'Each active room: its state (free, occupied, hold), the current session (client, engineers, scheduled and actual start, elapsed, remaining, overtime) and the next booking. ' +
      'Figures are at `serverTime`: tick them from it. Staff streams opened with `?board=true` (GET /api/v1/notifications/stream) send `board.changed` when a booking changes: fetch the board again then.',
  })
  @ApiOkResponse({ type: RoomBoardDto })
  getRoomBoard(): Promise<RoomBoardDto> {
    return this.roomBoard.board();
  }

  @Get(':id')
  @Access('viewer')
  @ApiOperation({ summary: 'Get one room', description: 'A room of another studio is a 404, like one that does not exist.' })
  @ApiOkResponse({ type: RoomDto })
  @ApiProblems(400, 404)
  getRoom(@Param('id', uuidParam) id: string): Promise<RoomDto> {
    return this.rooms.get(id);
  }

  @Patch(':id')
  @Access('admin')
  @ApiOperation({
    summary: 'Change a room; `"active": false` deactivates it',
    description: 'Only the fields sent change; null clears an optional field. A deactivated room keeps its history and takes no new bookings.',
  })
  @ApiOkResponse({ type: RoomDto })
  @ApiProblems(400, 404, 409)
  updateRoom(@Param('id', uuidParam) id: string, @Body() dto: UpdateRoomDto): Promise<RoomDto> {
    return this.rooms.update(id, dto);
  }

  @Delete(':id')
  @Access('admin')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary: 'Delete a room for good (to retire a room that has bookings, deactivate it instead)',
    description:
      'Permanent. Equipment kept in the room becomes portable. A room that bookings refer to cannot be deleted: 409 `room-in-use`; ' +
      'deactivate it with PATCH `{"active": false}`, which keeps its history.',
  })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiProblems(400, 404, 409)
  deleteRoom(@Param('id', uuidParam) id: string): Promise<void> {
    return this.rooms.remove(id);
  }
}
