import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The action plan of a review and its learning themes
 * (docs/domain.md, "Action plans" and "Learning"):
 * - `case_theme`: the case's own learning themes;
 * - `recommendation`, with its themes (`recommendation_theme`);
 * - `plan_action`: each recommendation's actions, owned by one agency, with a
 *   target date and a status; `case_id` repeats the recommendation's (a
 *   composite key keeps the two equal) so scope, facts and milestones read
 *   one table;
 * - `plan_action_progress`: one row for each update of an action, append-only
 *   like the audit trail: the database refuses UPDATE, DELETE and TRUNCATE.
 */
export class ActionPlans1764920000000 implements MigrationInterface {
  name = 'ActionPlans1764920000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE case_theme (
        case_id uuid NOT NULL REFERENCES review_case(id),
        theme_code text NOT NULL REFERENCES learning_theme(code),
        PRIMARY KEY (case_id, theme_code)
      )`);
    await q.query(`CREATE INDEX case_theme_theme_idx ON case_theme (theme_code)`);

    await q.query(`
      CREATE TABLE recommendation (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
        case_id uuid NOT NULL REFERENCES review_case(id),
        scope text NOT NULL CHECK (scope IN ('national','local','single_agency')),
        text text NOT NULL,
        agency_id uuid REFERENCES agency(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        created_by uuid REFERENCES app_user(id),
        UNIQUE (id, case_id),
        CONSTRAINT recommendation_single_agency CHECK ((scope = 'single_agency') = (agency_id IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX recommendation_case_idx ON recommendation (case_id, seq)`);

    await q.query(`
      CREATE TABLE recommendation_theme (
        recommendation_id uuid NOT NULL REFERENCES recommendation(id),
        theme_code text NOT NULL REFERENCES learning_theme(code),
        PRIMARY KEY (recommendation_id, theme_code)
      )`);
    await q.query(`CREATE INDEX recommendation_theme_theme_idx ON recommendation_theme (theme_code)`);

    await q.query(`
      CREATE TABLE plan_action (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
        recommendation_id uuid NOT NULL,
        case_id uuid NOT NULL REFERENCES review_case(id),
        owner_agency_id uuid NOT NULL REFERENCES agency(id),
        description text NOT NULL,
        target_on date NOT NULL,
        status text NOT NULL DEFAULT 'not_started' CHECK (status IN ('not_started','in_progress','completed','closed_with_reason')),
        completed_on date,
        closed_on date,
        closed_reason text,
        created_on date NOT NULL,
        created_by uuid REFERENCES app_user(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1 CHECK (version > 0),
        FOREIGN KEY (recommendation_id, case_id) REFERENCES recommendation (id, case_id),
        CONSTRAINT plan_action_completed_on CHECK ((status = 'completed') = (completed_on IS NOT NULL)),
        CONSTRAINT plan_action_closed_reason CHECK ((status = 'closed_with_reason') = (closed_reason IS NOT NULL)),
        CONSTRAINT plan_action_closed_on CHECK ((status = 'closed_with_reason') = (closed_on IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX plan_action_recommendation_idx ON plan_action (recommendation_id, seq)`);
    await q.query(`CREATE INDEX plan_action_case_idx ON plan_action (case_id, seq)`);
    // An agency's involvement in a case (access.queries.ts) and its leads' list of actions.
    await q.query(`CREATE INDEX plan_action_agency_idx ON plan_action (owner_agency_id, case_id)`);
    // The cross-case list, soonest target first; the open ones are what the overdue filter and the reports read.
    await q.query(`CREATE INDEX plan_action_target_idx ON plan_action (target_on, seq)`);
    await q.query(`CREATE INDEX plan_action_open_idx ON plan_action (target_on, seq) WHERE status IN ('not_started','in_progress')`);

    await q.query(`
      CREATE TABLE plan_action_progress (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        action_id uuid NOT NULL REFERENCES plan_action(id),
        actor_id uuid REFERENCES app_user(id),
        actor_role text CHECK (actor_role IN ('sdp_admin','csp_chair','review_chair','agency_lead')),
        status_from text NOT NULL CHECK (status_from IN ('not_started','in_progress','completed','closed_with_reason')),
        status_to text NOT NULL CHECK (status_to IN ('not_started','in_progress','completed','closed_with_reason')),
        note text,
        occurred_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX plan_action_progress_action_idx ON plan_action_progress (action_id, id)`);
    // Progress is history: the database itself refuses to change it, whoever asks, even a statement that would touch no row.
    await q.query(`
      CREATE FUNCTION plan_action_progress_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'plan_action_progress is append-only: % refused', TG_OP
          USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`
      CREATE TRIGGER plan_action_progress_no_change
        BEFORE UPDATE OR DELETE OR TRUNCATE ON plan_action_progress
        FOR EACH STATEMENT EXECUTE FUNCTION plan_action_progress_is_append_only()`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE plan_action_progress`);
    await q.query(`DROP FUNCTION plan_action_progress_is_append_only()`);
    await q.query(`DROP TABLE plan_action`);
    await q.query(`DROP TABLE recommendation_theme`);
    await q.query(`DROP TABLE recommendation`);
    await q.query(`DROP TABLE case_theme`);
  }
}
