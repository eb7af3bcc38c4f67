import { CanActivate, ExecutionContext, HttpStatus, Inject, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AuditService } from '../audit/audit.service.js';
import { ProblemException } from '../common/problem.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';

const WINDOW_MS = 60_000;

/**
 * Limits sign-in and refresh attempts per client address and route in a
 * one-minute window, on top of the per-account lockout. The counts live in
 * this process: several instances behind a balancer each allow the limit.
 */
@Injectable()
export class SignInRateLimitGuard implements CanActivate {
  private readonly windows = new Map<string, { startedAt: number; count: number }>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly audit: AuditService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<Request>();
    const now = Date.now();
    // Keyed by the handler, not the path: /login, /Login and /login/ reach the same route.
    const key = `${request.ip}|${context.getClass().name}.${context.getHandler().name}`;
    let window = this.windows.get(key);
    if (!window || now - window.startedAt >= WINDOW_MS) {
      this.forgetExpired(now);
      window = { startedAt: now, count: 0 };
      this.windows.set(key, window);
    }
    window.count += 1;
    if (window.count <= this.config.authRateLimitPerMinute) return true;
    const retryAfter = Math.ceil((window.startedAt + WINDOW_MS - now) / 1000);
    context.switchToHttp().getResponse<Response>().setHeader('Retry-After', String(retryAfter));
    // Once per window and address, not once per refused request: a flood must not flood the trail too.
    if (window.count === this.config.authRateLimitPerMinute + 1) {
      await this.audit.recordNow({
        action: 'access.denied',
        actor: null,
        details: { reason: 'rate_limited', method: request.method, path: request.originalUrl.split('?')[0] },
      });
    }
    throw new ProblemException(
      HttpStatus.TOO_MANY_REQUESTS,
      'rate-limited',
      'Too many requests',
      `Too many attempts from this address. Try again in ${retryAfter} seconds.`,
    );
  }

  private forgetExpired(now: number): void {
    for (const [key, window] of this.windows) {
      if (now - window.startedAt >= WINDOW_MS) this.windows.delete(key);
    }
  }
}
