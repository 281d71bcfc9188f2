import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCookieAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access } from '../auth/access.decorator.js';
import { ApiProblems } from '../common/api-problems.decorator.js';
import { uuidParam } from '../common/uuid-param.js';
import { CreateEquipmentDto, ListEquipmentQueryDto, UpdateEquipmentDto } from './dto/equipment-input.dto.js';
import { EquipmentDto, EquipmentListDto } from './dto/equipment.dto.js';
import { EquipmentService } from './equipment.service.js';

// Issue 9 (resources): everyone reads the equipment list; admins keep it.
@ApiTags('equipment')
@ApiCookieAuth()
@ApiProblems(401, 503)
@Controller('api/v1/equipment')
export class EquipmentController {
  constructor(private readonly equipment: EquipmentService) {}

  @Post()
  @Access('admin')
  @ApiOperation({
    summary: 'Add equipment',
    description: '`name` and `category` are required. `homeRoomId` must be a room of the studio (else 400); null or left out = portable. A rate needs a currency.',
  })
  @ApiCreatedResponse({ type: EquipmentDto })
  @ApiProblems(400)
  createEquipment(@Body() dto: CreateEquipmentDto): Promise<EquipmentDto> {
    return this.equipment.create(dto);
  }

  @Get()
  @Access('viewer')
  @ApiOperation({
    summary: 'List equipment by name, with filters and cursor pagination',
    description: 'Ordered by name (case-insensitive), then id. Filters combine; pass `nextCursor` back as `cursor`, with the same filters, for the next page.',
  })
  @ApiOkResponse({ type: EquipmentListDto })
  @ApiProblems(400)
  listEquipment(@Query() query: ListEquipmentQueryDto): Promise<EquipmentListDto> {
    return this.equipment.list(query);
  }

  @Get(':id')
  @Access('viewer')
  @ApiOperation({ summary: 'Get one piece of equipment', description: 'Equipment of another studio is a 404, like an id that does not exist.' })
  @ApiOkResponse({ type: EquipmentDto })
  @ApiProblems(400, 404)
  getEquipment(@Param('id', uuidParam) id: string): Promise<EquipmentDto> {
    return this.equipment.get(id);
  }

  @Patch(':id')
  @Access('admin')
  @ApiOperation({ summary: 'Change equipment; null clears an optional field', description: 'Only the fields sent change. `"status": "retired"` takes it out of use and keeps its history.' })
  @ApiOkResponse({ type: EquipmentDto })
  @ApiProblems(400, 404)
  updateEquipment(@Param('id', uuidParam) id: string, @Body() dto: UpdateEquipmentDto): Promise<EquipmentDto> {
    return this.equipment.update(id, dto);
  }

  @Delete(':id')
  @Access('admin')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary: 'Delete equipment for good',
    description: 'Permanent. Equipment that bookings refer to cannot be deleted (409 `equipment-in-use`): retire it instead.',
  })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiProblems(400, 404, 409)
  deleteEquipment(@Param('id', uuidParam) id: string): Promise<void> {
    return this.equipment.remove(id);
  }
}
