import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiCookieAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access } from '../auth/access.decorator.js';
import { ApiProblems } from '../common/api-problems.decorator.js';
import { ValidationProblem } from '../common/problem.js';
import { ClientsService } from './clients.service.js';
import { ClientDto, ClientListDto } from './dto/client.dto.js';
import { CreateClientDto, ListClientsQueryDto, UpdateClientDto } from './dto/client-input.dto.js';

const idPipe = new ParseUUIDPipe({
  exceptionFactory: () => new ValidationProblem([{ field: 'id', messages: ['id must be a UUID'] }]),
});

// Issue 7: viewers read; engineers and above add, change and delete clients (they run the sessions).
@ApiTags('clients')
@ApiCookieAuth()
@ApiProblems(401, 503)
@Controller('api/v1/clients')
export class ClientsController {
  constructor(private readonly clients: ClientsService) {}

  @Post()
  @Access('engineer')
  @ApiOperation({ summary: 'Add a client', description: 'Only `name` is required; blank optional fields are stored as null.' })
  @ApiCreatedResponse({ type: ClientDto })
  @ApiProblems(400)
  createClient(@Body() dto: CreateClientDto): Promise<ClientDto> {
    return this.clients.create(dto);
  }

  @Get()
  @Access('viewer')
  @ApiOperation({
    summary: 'List clients by name or date added, with search, a total and cursor pagination',
    description:
      'Ordered by `sort` (default: name, case-insensitive), then id. Pass `nextCursor` back as `cursor`, with the same `sort` and `q`, ' +
      'for the next page. `total` counts every client matching `q`, whatever the page.',
  })
  @ApiOkResponse({ type: ClientListDto })
  @ApiProblems(400)
  listClients(@Query() query: ListClientsQueryDto): Promise<ClientListDto> {
    return this.clients.list(query);
  }

  @Get(':id')
  @Access('viewer')
  @ApiOperation({ summary: 'Get one client', description: 'A client of another studio is a 404, like one that does not exist.' })
  @ApiOkResponse({ type: ClientDto })
  @ApiProblems(400, 404)
  getClient(@Param('id', idPipe) id: string): Promise<ClientDto> {
    return this.clients.get(id);
  }

  @Patch(':id')
  @Access('engineer')
  @ApiOperation({ summary: 'Change a client; null clears an optional field', description: 'Only the fields sent change; `name` cannot be cleared.' })
  @ApiOkResponse({ type: ClientDto })
  @ApiProblems(400, 404)
  updateClient(@Param('id', idPipe) id: string, @Body() dto: UpdateClientDto): Promise<ClientDto> {
    return this.clients.update(id, dto);
  }

  @Delete(':id')
  @Access('engineer')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Delete a client', description: 'Permanent; a second delete of the same id is a 404. A client with bookings is kept (409).' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiProblems(400, 404, 409)
  deleteClient(@Param('id', idPipe) id: string): Promise<void> {
    return this.clients.remove(id);
  }
}
