import { Controller, Get } from '@nestjs/common';
import { ApiCookieAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access } from '../auth/access.decorator.js';
import type { Caller } from '../auth/auth.types.js';
import { CurrentCaller } from '../auth/current-principal.decorator.js';
import { ApiProblems } from '../common/api-problems.decorator.js';
import { SubscriptionDto } from './dto/subscription.dto.js';
import { SubscriptionService } from './subscription.service.js';

@ApiTags('billing')
@ApiCookieAuth()
@Controller('api/v1/billing')
export class SubscriptionController {
  constructor(private readonly subscription: SubscriptionService) {}

  @Get()
  @Access('owner')
  @ApiOperation({
    summary: "The studio's own subscription to the platform",
    description: 'Trial or paid period, past-due state and when the studio would become read-only (writes → 402) unless it is paid.',
  })
  @ApiOkResponse({ type: SubscriptionDto })
  @ApiProblems()
  getSubscription(@CurrentCaller() caller: Caller): Promise<SubscriptionDto> {
    return this.subscription.details(caller.organizationId);
  }
}
