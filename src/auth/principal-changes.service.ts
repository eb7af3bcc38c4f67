import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import pg from 'pg';
import { DataSource } from 'typeorm';
import type { Actor } from '../access/roles.js';
import type { LiveClient } from '../clients/clients.queries.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { LISTEN_FOR_PRINCIPAL_CHANGES, LISTENER_ROUND_TRIP } from './auth.queries.js';
import { PrincipalCache, type CacheLimits } from './principal-cache.js';

/** How the listening connection names itself in pg_stat_activity. */
export const LISTENER_APPLICATION_NAME = 'dhr-backend-listener';

export const CACHE_LIMITS: CacheLimits = { maxEntries: 20_000, maxAgeMs: 60_000 };
const RETRY_FIRST_MS = 100;
const RETRY_MAX_MS = 10_000;

export type SessionActor = Omit<Actor, 'sessionId'>;
export type CachedClient = LiveClient;

/**
 * Keeps this instance's memory of live sessions and REST clients
 * (principal-cache.ts) true to the database, on every instance at once:
 *
 * - one connection of its own (never one of the pool) LISTENs for the
 *   changes the triggers announce at commit, and drops what they name;
 * - before a request is answered from memory, `current()` makes one round
 *   trip on that same connection: PostgreSQL hands a listener every
 *   announcement committed before a query before that query's answer, so an
 *   entry served after it reflects every change committed before the
 *   request arrived. Requests arriving together share one round trip;
 * - while the connection is down or not yet listening, memory is emptied and
 *   not used: every request asks the database. It reconnects with a backoff.
 */
@Injectable()
export class PrincipalChanges implements OnModuleInit, OnApplicationShutdown {
  readonly sessions = new PrincipalCache<SessionActor>(CACHE_LIMITS);
  readonly clients = new PrincipalCache<CachedClient>(CACHE_LIMITS);
  private readonly logger = new Logger('PrincipalChanges');
  private connection: pg.Client | null = null;
  private listening = false;
  private stopped = false;
  private retryMs = RETRY_FIRST_MS;
  private retryTimer: NodeJS.Timeout | undefined;
  private inFlight: Promise<boolean> = Promise.resolve(true);
  private queued: Promise<boolean> | null = null;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.listen();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    const connection = this.connection;
    this.lose(connection);
    await connection?.end().catch(() => undefined);
  }

  /** Whether memory may be used: listening, and every change committed before this call received. */
  current(): Promise<boolean> {
    if (!this.listening) return Promise.resolve(false);
    // a request arriving while a round trip is under way waits for the next: that one starts after it
    this.queued ??= this.inFlight.then(() => {
      this.queued = null;
      return (this.inFlight = this.roundTrip());
    });
    return this.queued;
  }

  get isListening(): boolean {
    return this.listening;
  }

  private async roundTrip(): Promise<boolean> {
    const connection = this.connection;
    if (!connection || !this.listening) return false;
    try {
      await connection.query(LISTENER_ROUND_TRIP);
      return this.listening && this.connection === connection;
    } catch {
      return false;
    }
  }

  private async listen(): Promise<void> {
    if (this.stopped) return;
    const connection = new pg.Client({
      connectionString: (this.dataSource.options as { url: string }).url,
      application_name: LISTENER_APPLICATION_NAME,
      keepAlive: true,
      connectionTimeoutMillis: this.config.dbConnectTimeoutMs,
      query_timeout: this.config.dbQueryTimeoutMs,
    });
    connection.on('notification', (message) => this.received(message.payload));
    connection.on('error', (error) => this.lost(connection, error));
    connection.on('end', () => this.lost(connection));
    this.connection = connection;
    try {
      await connection.connect();
      await connection.query(LISTEN_FOR_PRINCIPAL_CHANGES);
    } catch (error) {
      this.lost(connection, error as Error);
      return;
    }
    if (this.connection !== connection) return;
    // whatever was remembered before this connection listened may have changed unannounced
    this.forgetAll();
    this.listening = true;
    if (this.retryMs > RETRY_FIRST_MS) this.logger.log('listening for ended sessions again; remembered sessions are used again');
    this.retryMs = RETRY_FIRST_MS;
  }

  private received(payload: string | undefined): void {
    if (!payload || payload === 'all') return this.forgetAll();
    this.sessions.drop(payload);
    this.clients.drop(payload);
  }

  private lost(connection: pg.Client, error?: Error): void {
    if (this.connection !== connection) return;
    this.lose(connection);
    void connection.end().catch(() => undefined);
    if (this.stopped) return;
    this.logger.warn(
      `the connection listening for ended sessions was lost${error ? ` (${error.message})` : ''}: every request asks the database until it is back; retrying in ${this.retryMs} ms`,
    );
    this.retryTimer = setTimeout(() => void this.listen(), this.retryMs);
    this.retryMs = Math.min(this.retryMs * 2, RETRY_MAX_MS);
  }

  private lose(connection: pg.Client | null): void {
    if (this.connection !== connection) return;
    this.connection = null;
    this.listening = false;
    this.forgetAll();
  }

  private forgetAll(): void {
    this.sessions.clear();
    this.clients.clear();
  }
}
