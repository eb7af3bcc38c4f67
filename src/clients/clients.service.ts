import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CLIENT_SCOPES, type ClientScope } from '../access/client-principal.js';
import type { Actor } from '../access/roles.js';
import { AuditService, fieldChanges } from '../audit/audit.service.js';
import { londonDate } from '../common/calendar.js';
import { Clock } from '../common/clock.js';
import { decodeCursor, pageSize, toPage, type Page } from '../common/pagination.js';
import { badRequest, conflict, notFound } from '../common/problem.js';
import { requirePartnership } from '../partnerships/partnerships.queries.js';
import type { ApiClient } from './api-client.entity.js';
import { ClientQuery, ClientView, CreateClientRequest, NewClientView, RotatedSecretView, toClientView } from './client.dto.js';
import { hashClientSecret, newClientId, newClientSecret } from './client-credentials.js';
import { addScopes, insertClient, listClients, lockClient, revokeClient, rotateClientSecret, scopesOfClients } from './clients.queries.js';
import type { Queryable } from '../common/sql.js';

/**
 * REST clients as the SDP administrators manage them (docs/domain.md,
 * "Reports and REST clients"): registered with their scopes, optionally one
 * partnership and an expiry; the secret shown once, at registration and at
 * each rotation; revoked for good. Every change is audited, never a secret.
 */
@Injectable()
export class ClientsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async create(actor: Actor, body: CreateClientRequest): Promise<NewClientView> {
    const today = this.today();
    if (body.expiresOn !== undefined && body.expiresOn < today) {
      throw badRequest('expiresOn must not be in the past', [{ field: 'expiresOn', message: 'expiresOn must not be in the past' }]);
    }
    const secret = newClientSecret();
    return this.dataSource.transaction(async (tx) => {
      if (body.partnershipId) await requirePartnership(tx, body.partnershipId);
      const client = await insertClient(tx, {
        clientId: newClientId(),
        name: body.name,
        partnershipId: body.partnershipId ?? null,
        expiresOn: body.expiresOn ?? null,
        secretHash: hashClientSecret(secret),
        createdBy: actor.userId,
        createdAt: this.clock.now(),
      });
      const scopes = orderedScopes(body.scopes);
      await addScopes(tx, client.id, scopes);
      await this.audit.record(tx, {
        action: 'client.created',
        entityType: 'api_client',
        entityId: client.id,
        partnershipId: client.partnershipId,
        changes: fieldChanges(null, {
          clientId: client.clientId,
          name: client.name,
          scopes: scopes,
          partnershipId: client.partnershipId,
          expiresOn: client.expiresOn,
        }),
      });
      return { ...toClientView(client, scopes, today), clientSecret: secret };
    });
  }

  async list(query: ClientQuery): Promise<Page<ClientView>> {
    const limit = pageSize(query);
    const after = decodeCursor(query.cursor, 1);
    const rows = await listClients(this.dataSource, after ? String(after[0]) : '0', limit + 1);
    const scopes = await scopesOfClients(this.dataSource, rows.map((r) => r.id));
    const today = this.today();
    return toPage(rows, limit, (client) => toClientView(client, scopes.get(client.id) ?? [], today), (client) => [Number(client.seq)]);
  }

  /**
   * A new secret, in place of the old one: the old secret stops working at
   * once, and so does every token it obtained (tokens name the secret's
   * generation). A revoked client stays revoked.
   */
  async rotate(id: string): Promise<RotatedSecretView> {
    const secret = newClientSecret();
    return this.dataSource.transaction(async (tx) => {
      const client = await this.lockedClient(tx, id);
      if (client.revokedAt) throw conflict('client-revoked', 'The client is revoked: register a new one instead.', { unmet: ['client_revoked'] });
      const now = this.clock.now();
      await rotateClientSecret(tx, id, hashClientSecret(secret), client.secretGeneration + 1, now);
      await this.audit.record(tx, {
        action: 'client.secret_rotated',
        entityType: 'api_client',
        entityId: id,
        partnershipId: client.partnershipId,
        details: { secretGeneration: client.secretGeneration + 1 },
      });
      return { id, clientId: client.clientId, clientSecret: secret };
    });
  }

  /** Ends the client for good: its tokens are refused from the next request. Revoking it again changes nothing. */
  async revoke(actor: Actor, id: string): Promise<ClientView> {
    return this.dataSource.transaction(async (tx) => {
      const client = await this.lockedClient(tx, id);
      if (!client.revokedAt) {
        Object.assign(client, { revokedAt: this.clock.now(), revokedBy: actor.userId });
        await revokeClient(tx, id, client.revokedAt!, actor.userId);
        await this.audit.record(tx, {
          action: 'client.revoked',
          entityType: 'api_client',
          entityId: id,
          partnershipId: client.partnershipId,
          changes: fieldChanges(null, { revokedAt: client.revokedAt!.toISOString() }),
        });
      }
      return toClientView(client, (await scopesOfClients(tx, [id])).get(id) ?? [], this.today());
    });
  }

  private async lockedClient(tx: Queryable, id: string): Promise<ApiClient> {
    const client = await lockClient(tx, id);
    if (!client) throw notFound('client');
    return client;
  }

  private today(): string {
    return londonDate(this.clock.now());
  }
}

/** The scopes in the vocabulary's order, so that every answer lists them alike. */
function orderedScopes(scopes: readonly ClientScope[]): ClientScope[] {
  return CLIENT_SCOPES.filter((scope) => scopes.includes(scope));
}
