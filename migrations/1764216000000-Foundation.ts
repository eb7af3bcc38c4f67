import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Partnerships (seeded with the four Devon CSPs), agencies, users and their
 * sign-in sessions, the learning themes, and the append-only audit trail.
 */
export class Foundation1764216000000 implements MigrationInterface {
  name = 'Foundation1764216000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE partnership (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        code text NOT NULL UNIQUE CHECK (code ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
        name text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      INSERT INTO partnership (code, name) VALUES
        ('east-mid-devon', 'East and Mid Devon'),
        ('exeter', 'Exeter'),
        ('north-devon-torridge', 'North Devon and Torridge'),
        ('south-devon-dartmoor', 'South Devon and Dartmoor')`);

    await q.query(`
      CREATE TABLE agency (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        sector text NOT NULL CHECK (sector IN
          ('police','health','local_authority','probation','education','housing','voluntary','other')),
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX agency_name_key ON agency (lower(name))`);

    await q.query(`
      CREATE TABLE app_user (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email text NOT NULL,
        name text NOT NULL,
        role text NOT NULL CHECK (role IN ('sdp_admin','csp_chair','review_chair','agency_lead')),
        partnership_id uuid REFERENCES partnership(id),
        agency_id uuid REFERENCES agency(id),
        password_hash text NOT NULL,
        active boolean NOT NULL DEFAULT true,
        failed_login_count integer NOT NULL DEFAULT 0,
        locked_until timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT csp_chair_has_partnership CHECK ((role = 'csp_chair') = (partnership_id IS NOT NULL)),
        CONSTRAINT agency_lead_has_agency CHECK ((role = 'agency_lead') = (agency_id IS NOT NULL))
      )`);
    await q.query(`CREATE UNIQUE INDEX app_user_email_key ON app_user (lower(email))`);

    await q.query(`
      CREATE TABLE auth_session (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES app_user(id),
        refresh_token_hash text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        refreshed_at timestamptz,
        expires_at timestamptz NOT NULL,
        revoked_at timestamptz,
        revoked_reason text,
        ip text
      )`);
    await q.query(`CREATE INDEX auth_session_user_idx ON auth_session (user_id) WHERE revoked_at IS NULL`);

    await q.query(`
      CREATE TABLE learning_theme (
        code text PRIMARY KEY CHECK (code ~ '^[a-z0-9]+(_[a-z0-9]+)*$'),
        label text NOT NULL,
        position integer NOT NULL
      )`);
    await q.query(`
      INSERT INTO learning_theme (code, label, position) VALUES
        ('coercive_control', 'Coercive control', 1),
        ('economic_abuse', 'Economic abuse', 2),
        ('stalking', 'Stalking', 3),
        ('separation', 'Separation', 4),
        ('mental_health', 'Mental health', 5),
        ('substance_misuse', 'Substance misuse', 6),
        ('suicide', 'Suicide', 7),
        ('children_in_household', 'Children in the household', 8),
        ('older_victim', 'Older victim', 9),
        ('carer', 'Carer', 10),
        ('honour_based_abuse', 'Honour-based abuse', 11),
        ('risk_assessment', 'Risk assessment', 12),
        ('information_sharing', 'Information sharing', 13),
        ('marac', 'MARAC', 14),
        ('professional_curiosity', 'Professional curiosity', 15)`);

    await q.query(`
      CREATE TABLE audit_event (
        seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        id uuid NOT NULL UNIQUE DEFAULT gen_random_uuid(),
        occurred_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        actor_id uuid,
        actor_role text,
        action text NOT NULL,
        entity_type text,
        entity_id text,
        case_id uuid,
        partnership_id uuid,
        request_id text,
        ip text,
        changes jsonb,
        details jsonb
      )`);
    await q.query(`CREATE INDEX audit_event_case_idx ON audit_event (case_id, seq)`);
    await q.query(`CREATE INDEX audit_event_actor_idx ON audit_event (actor_id, seq)`);
    await q.query(`CREATE INDEX audit_event_action_idx ON audit_event (action, seq)`);
    await q.query(`CREATE INDEX audit_event_partnership_idx ON audit_event (partnership_id, seq)`);
    await q.query(`CREATE INDEX audit_event_occurred_idx ON audit_event (occurred_at)`);
    // The audit trail is append-only: the database itself refuses to change it.
    await q.query(`
      CREATE FUNCTION audit_event_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_event is append-only: % refused', TG_OP
          USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`
      CREATE TRIGGER audit_event_no_update_or_delete
        BEFORE UPDATE OR DELETE ON audit_event
        FOR EACH ROW EXECUTE FUNCTION audit_event_is_append_only()`);
    await q.query(`
      CREATE TRIGGER audit_event_no_truncate
        BEFORE TRUNCATE ON audit_event
        FOR EACH STATEMENT EXECUTE FUNCTION audit_event_is_append_only()`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE audit_event`);
    await q.query(`DROP FUNCTION audit_event_is_append_only()`);
    await q.query(`DROP TABLE learning_theme`);
    await q.query(`DROP TABLE auth_session`);
    await q.query(`DROP TABLE app_user`);
    await q.query(`DROP TABLE agency`);
    await q.query(`DROP TABLE partnership`);
  }
}
