import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ApiRateLimits } from './api-rate-limits.service.js';
import { LoginThrottle } from './login-throttle.service.js';
import { RateLimitGuard } from './rate-limit.guard.js';
import { RateLimitStore } from './rate-limit.store.js';

/**
 * Rate limits (see RateLimitGuard for where they apply). Import it after AuthModule: global guards
 * run in registration order, and RateLimitGuard needs the session SessionAuthGuard resolved.
 * Global, so LoginThrottle reaches LocalAuthGuard in AuthModule.
 */
@Global()
@Module({
  providers: [RateLimitStore, ApiRateLimits, LoginThrottle, { provide: APP_GUARD, useClass: RateLimitGuard }],
  exports: [LoginThrottle, ApiRateLimits, RateLimitStore],
})
export class RateLimitModule {}
