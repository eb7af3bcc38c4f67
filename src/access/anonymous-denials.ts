import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Request } from 'express';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import { Clock } from '../common/clock.js';
import { requestPath } from '../common/stored-path.js';

/** Counts one refusal; answers the count so far in this address's, reason's and minute's row. */
const COUNT_DENIAL = `
  INSERT INTO anonymous_denial (ip, reason, minute, count) VALUES ($1, $2, date_trunc('minute', $3::timestamptz), 1)
  ON CONFLICT (ip, reason, minute) DO UPDATE SET count = anonymous_denial.count + 1
  RETURNING count, minute`;

/** Counts older than this are of no more use: the audit row of their minute stays. */
const FORGET_AFTER_DAYS = 30;
const FORGET_OLD = `DELETE FROM anonymous_denial WHERE minute < $1::timestamptz - make_interval(days => ${FORGET_AFTER_DAYS})`;

/**
 * Refusals of requests from nobody signed in (no token, a bad token, over the
 * rate limit). Anyone can send those by the thousand, so the append-only audit
 * trail gets one `access.denied` row per client address, reason and minute,
 * written by the first refusal of that minute; the number of refusals is kept
 * beside it in `anonymous_denial`, under the same address, reason and minute.
 * A signed-in user's refusals are counted by Refusals, per person.
 */
@Injectable()
export class AnonymousDenials {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async record(request: Request, reason: string): Promise<void> {
    const now = this.clock.now();
    const [row]: { count: number; minute: Date }[] = await this.dataSource.query(COUNT_DENIAL, [request.ip ?? '', reason, now]);
    if (row.count !== 1) return;
    await this.audit.recordNow({
      action: 'access.denied',
      actor: null,
      details: { reason, method: request.method, path: requestPath(request), minute: row.minute.toISOString(), counted: 'anonymous_denial' },
    });
    // The first refusal of a minute is rare enough to tidy up after.
    await this.dataSource.query(FORGET_OLD, [now]);
  }
}
