import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AnonymousDenials } from '../access/anonymous-denials.js';
import { RateLimits, setRateLimitHeaders, tooManyRequests } from '../access/rate-limits.js';

/**
 * Limits sign-in and refresh attempts per client address and route in a
 * one-minute window, on top of the per-account lockout. The counts live in
 * PostgreSQL (RateLimits), so every instance of the server shares them.
 */
@Injectable()
export class SignInRateLimitGuard implements CanActivate {
  constructor(
    private readonly rateLimits: RateLimits,
    private readonly denials: AnonymousDenials,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<Request>();
    // Keyed by the handler, not the path: /login, /Login and /login/ reach the same route.
    const scope = `${context.getClass().name}.${context.getHandler().name}`;
    const answer = await this.rateLimits.consume('signIn', { address: request.ip ?? '', scope });
    const response = context.switchToHttp().getResponse<Response>();
    if (answer.allowed) {
      setRateLimitHeaders(response, answer);
      return true;
    }
    // Once per address and minute, not once per refused request: a flood must not flood the trail too.
    await this.denials.record(request, 'rate_limited');
    throw tooManyRequests(response, answer);
  }
}
