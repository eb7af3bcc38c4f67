import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * REST clients: the service accounts other systems use (a board dashboard, a
 * council's reporting tool). Each has a public `client_id`, the SHA-256 of
 * its secret (never the secret), the read-only scopes it may use, optionally
 * one partnership it is limited to, an expiry date, and who registered it.
 * `secret_generation` grows with each rotation: a token names the generation
 * it was issued under, so rotating ends the old secret's tokens as well.
 *
 * The audit trail gains the client an event was done by, next to the user.
 */
export class ApiClients1764960000000 implements MigrationInterface {
  name = 'ApiClients1764960000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE api_client (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
        client_id text NOT NULL UNIQUE CHECK (client_id ~ '^dhr_client_[0-9a-f]{24}$'),
        name text NOT NULL CHECK (btrim(name) <> ''),
        partnership_id uuid REFERENCES partnership(id),
        expires_on date,
        secret_hash text NOT NULL CHECK (secret_hash ~ '^[0-9a-f]{64}$'),
        secret_generation integer NOT NULL DEFAULT 1 CHECK (secret_generation > 0),
        created_by uuid NOT NULL REFERENCES app_user(id),
        created_at timestamptz NOT NULL,
        secret_rotated_at timestamptz,
        revoked_at timestamptz,
        revoked_by uuid REFERENCES app_user(id),
        last_used_at timestamptz,
        CONSTRAINT api_client_revocation_signed CHECK ((revoked_at IS NULL) = (revoked_by IS NULL))
      )`);
    await q.query(`
      CREATE TABLE api_client_scope (
        client_id uuid NOT NULL REFERENCES api_client(id),
        scope text NOT NULL CHECK (scope IN ('reports:read', 'milestones:read', 'publications:read')),
        PRIMARY KEY (client_id, scope)
      )`);
    await q.query(`ALTER TABLE audit_event ADD COLUMN client_id uuid REFERENCES api_client(id)`);
    await q.query(`CREATE INDEX audit_event_client_idx ON audit_event (client_id, seq) WHERE client_id IS NOT NULL`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX audit_event_client_idx`);
    await q.query(`ALTER TABLE audit_event DROP COLUMN client_id`);
    await q.query(`DROP TABLE api_client_scope`);
    await q.query(`DROP TABLE api_client`);
  }
}
