import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AccessGuard } from './access.guard.js';
import { AccessService } from './access.service.js';
import { AnonymousDenials } from './anonymous-denials.js';
import { RateLimits } from './rate-limits.js';
import { Refusals } from './refusals.js';

/** Who may call which route (the global guard) and which cases they may touch (AccessService). */
@Global()
@Module({
  providers: [{ provide: APP_GUARD, useClass: AccessGuard }, AccessService, AnonymousDenials, RateLimits, Refusals],
  exports: [AccessService, AnonymousDenials, RateLimits, Refusals],
})
export class AccessModule {}
