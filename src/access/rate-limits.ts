import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import type { Response } from 'express';
import type { Pool } from 'pg';
import { RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import { DataSource } from 'typeorm';
import { ProblemException } from '../common/problem.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { forgetExpiredRateCounts, RATE_LIMIT_TABLE } from './access.queries.js';

/**
 * The limits the server keeps, each in a one-minute window: sign-in and
 * anonymous requests per client address, a REST client's calls per client.
 */
export type RateLimitName = 'signIn' | 'anonymous' | 'client';

/** Who is counted (a client address, or a REST client's id), and what it calls (a route, or everything). */
export interface RateLimitKey {
  address: string;
  scope: string;
}

export interface RateLimitAnswer {
  allowed: boolean;
  /** Seconds until the window ends; 0 while allowed. */
  retryAfterSeconds: number;
  /** The window's first refusal: the one worth an audit event when each refusal would flood the trail. */
  firstRefusal: boolean;
  /** The requests the window allows, those left in it, and the seconds until it ends. */
  limit: number;
  remaining: number;
  resetSeconds: number;
}

/** The headers every counted answer carries (IETF draft RateLimit header fields, in their widely used form). */
export const RATE_LIMIT_HEADERS = { limit: 'RateLimit-Limit', remaining: 'RateLimit-Remaining', reset: 'RateLimit-Reset' } as const;

const WINDOW_SECONDS = 60;
/** Expired counters are deleted at most this often by each instance, an hour after they expire. */
const TIDY_EVERY_MS = 5 * 60_000;
const TIDY_AFTER_MS = 60 * 60_000;

/**
 * Every rate limit's counters, kept in PostgreSQL (rate-limiter-flexible's
 * store, on the application's own connection pool): all instances of the
 * server count against one budget. A count is one atomic upsert, so parallel
 * requests cannot outrun it either.
 */
@Injectable()
export class RateLimits {
  private readonly limiters: Record<RateLimitName, RateLimiterPostgres>;
  private tidiedAt = Date.now();

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly dataSource: DataSource,
  ) {
    const pool = (dataSource.driver as unknown as { master: Pool }).master;
    const limiter = (keyPrefix: string, points: number) =>
      new RateLimiterPostgres({
        storeClient: pool,
        storeType: 'pool',
        tableName: RATE_LIMIT_TABLE,
        tableCreated: true,
        // the library's own clean-up runs on a timer; tidy() does it on the way instead
        clearExpiredByTimeout: false,
        keyPrefix,
        points,
        duration: WINDOW_SECONDS,
      });
    this.limiters = {
      signIn: limiter('sign-in', config.authRateLimitPerMinute),
      anonymous: limiter('anonymous', config.anonymousRateLimitPerMinute),
      client: limiter('client', config.clientRateLimitPerMinute),
    };
  }

  /** Counts one request; a database fault is thrown, never taken for a refusal. */
  async consume(name: RateLimitName, key: RateLimitKey): Promise<RateLimitAnswer> {
    await this.tidy();
    const limiter = this.limiters[name];
    const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));
    try {
      const counted = await limiter.consume(`${key.address}|${key.scope}`);
      return {
        allowed: true,
        retryAfterSeconds: 0,
        firstRefusal: false,
        limit: limiter.points,
        remaining: counted.remainingPoints,
        resetSeconds: seconds(counted.msBeforeNext),
      };
    } catch (outcome) {
      if (!(outcome instanceof RateLimiterRes)) throw outcome;
      const wait = seconds(outcome.msBeforeNext);
      return {
        allowed: false,
        retryAfterSeconds: wait,
        firstRefusal: outcome.consumedPoints === limiter.points + 1,
        limit: limiter.points,
        remaining: 0,
        resetSeconds: wait,
      };
    }
  }

  private async tidy(): Promise<void> {
    const now = Date.now();
    if (now - this.tidiedAt < TIDY_EVERY_MS) return;
    this.tidiedAt = now;
    await forgetExpiredRateCounts(this.dataSource, now - TIDY_AFTER_MS);
  }
}

/** Says on the response how much of its budget the counted request left. */
export function setRateLimitHeaders(response: Response, answer: RateLimitAnswer): void {
  response.setHeader(RATE_LIMIT_HEADERS.limit, String(answer.limit));
  response.setHeader(RATE_LIMIT_HEADERS.remaining, String(answer.remaining));
  response.setHeader(RATE_LIMIT_HEADERS.reset, String(answer.resetSeconds));
}

/** The 429 problem, with Retry-After and the RateLimit headers set on the response; `from` says who sent too many. */
export function tooManyRequests(response: Response, answer: RateLimitAnswer, from = 'this address'): ProblemException {
  setRateLimitHeaders(response, answer);
  return retryLater(response, answer.retryAfterSeconds, `Too many requests from ${from}.`);
}

/** The 429 problem for a request that may be sent again in so many seconds, with Retry-After set on the response. */
export function retryLater(response: Response, retryAfterSeconds: number, why: string): ProblemException {
  response.setHeader('Retry-After', String(retryAfterSeconds));
  return new ProblemException(
    HttpStatus.TOO_MANY_REQUESTS,
    'rate-limited',
    'Too many requests',
    `${why} Try again in ${retryAfterSeconds} seconds.`,
  );
}
