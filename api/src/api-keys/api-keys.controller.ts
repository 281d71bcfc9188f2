import { AllowWhileReadOnly } from '../auth/allow-while-read-only.decorator.js';
import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import { ApiCookieAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access } from '../auth/access.decorator.js';
import type { Caller, Principal } from '../auth/auth.types.js';
import { CurrentCaller, CurrentPrincipal } from '../auth/current-principal.decorator.js';
import { ApiProblems } from '../common/api-problems.decorator.js';
import { uuidParam } from '../common/uuid-param.js';
import { ApiKeysService } from './api-keys.service.js';
import { ApiKeyListDto, CreateApiKeyDto, CreatedApiKeyDto, ListApiKeysQueryDto } from './dto/api-key.dto.js';

/** Admins manage keys, by session only: a key may not mint or revoke keys (a leaked one cannot entrench itself). */
@ApiTags('api-keys')
@ApiCookieAuth()
@Controller('api/v1/api-keys')
export class ApiKeysController {
  constructor(private readonly keys: ApiKeysService) {}

  @Post()
  @Access('admin', { sessionOnly: true })
  @ApiOperation({
    summary: 'Create an API key; the secret is in this answer only',
    description: 'The key acts with `role` (at most yours, and never above your current role) in this studio until it expires or is revoked, or you leave the studio.',
  })
  @ApiCreatedResponse({ type: CreatedApiKeyDto })
  @ApiProblems(400)
  createApiKey(@CurrentPrincipal() principal: Principal, @Body() dto: CreateApiKeyDto): Promise<CreatedApiKeyDto> {
    return this.keys.create(principal, dto);
  }

  @Get()
  @Access('admin')
  @ApiOperation({ summary: "The studio's API keys (never their secrets)", description: 'Ordered by name; last used is updated at most once a minute.' })
  @ApiOkResponse({ type: ApiKeyListDto })
  @ApiProblems(400)
  listApiKeys(@CurrentCaller() caller: Caller, @Query() query: ListApiKeysQueryDto): Promise<ApiKeyListDto> {
    return this.keys.list(caller, query);
  }

  @Delete(':id')
  @AllowWhileReadOnly() // the account's own security, even while the subscription has lapsed
  @Access('admin', { sessionOnly: true })
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Revoke an API key', description: 'The next request with it is refused (401).' })
  @ApiNoContentResponse({ description: 'Revoked' })
  @ApiProblems(400, 404)
  deleteApiKey(@CurrentPrincipal() principal: Principal, @Param('id', uuidParam) id: string): Promise<void> {
    return this.keys.revoke(principal, id);
  }
}
