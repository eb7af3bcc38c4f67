import { Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import { Clock } from '../common/clock.js';
import { requestPath } from '../common/stored-path.js';
import { countAnonymousDenial, forgetOldAnonymousDenials } from './access.queries.js';

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
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async record(request: Request, reason: string): Promise<void> {
    const now = this.clock.now();
    const row = await countAnonymousDenial(this.dataSource, request.ip ?? '', reason, now);
    if (row.count !== 1) return;
    await this.audit.recordNow({
      action: 'access.denied',
      actor: null,
      details: { reason, method: request.method, path: requestPath(request), minute: row.minute.toISOString(), counted: 'anonymous_denial' },
    });
    // The first refusal of a minute is rare enough to tidy up after.
    await forgetOldAnonymousDenials(this.dataSource, now);
  }
}
