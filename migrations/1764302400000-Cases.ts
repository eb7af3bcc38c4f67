import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Reviews (cases) and what hangs off them: subjects, the stage history,
 * holds, the panel, contribution requests and contacts with the family.
 */
export class Cases1764302400000 implements MigrationInterface {
  name = 'Cases1764302400000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE case_reference_counter (
        year integer PRIMARY KEY,
        last_number integer NOT NULL
      )`);

    await q.query(`
      CREATE TABLE review_case (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
        reference text NOT NULL UNIQUE,
        partnership_id uuid NOT NULL REFERENCES partnership(id),
        review_type text NOT NULL CHECK (review_type IN ('DHR','DARDR')),
        regime text NOT NULL CHECK (regime IN ('dhr-2016','dardr-2024')),
        stage text NOT NULL CHECK (stage IN ('notified','commissioned','not_commissioned','panel_established',
          'information_gathering','drafting','csp_sign_off','home_office_qa','approved_for_publication','published','closed')),
        notified_on date NOT NULL,
        notification_source text NOT NULL,
        date_of_death date,
        summary text,
        decision_outcome text CHECK (decision_outcome IN ('commission','no_review')),
        decided_on date,
        decision_rationale text,
        home_office_notified_on date,
        terms_of_reference_agreed_on date,
        review_chair_id uuid REFERENCES app_user(id),
        completed_on date,
        version integer NOT NULL DEFAULT 1,
        created_by uuid REFERENCES app_user(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT decision_is_whole CHECK (
          (decision_outcome IS NULL) = (decided_on IS NULL) AND (decision_outcome IS NULL) = (decision_rationale IS NULL))
      )`);
    await q.query(`CREATE INDEX review_case_partnership_idx ON review_case (partnership_id, seq)`);
    await q.query(`CREATE INDEX review_case_stage_idx ON review_case (stage, seq)`);
    await q.query(`CREATE INDEX review_case_chair_idx ON review_case (review_chair_id) WHERE review_chair_id IS NOT NULL`);

    await q.query(`
      CREATE TABLE case_subject (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        case_id uuid NOT NULL REFERENCES review_case(id),
        position integer NOT NULL,
        role text NOT NULL CHECK (role IN ('victim','perpetrator','other')),
        full_name text NOT NULL CHECK (length(btrim(full_name)) > 0),
        pseudonym text,
        date_of_birth date,
        address text,
        UNIQUE (case_id, position)
      )`);
    await q.query(`CREATE INDEX case_subject_pseudonym_idx ON case_subject (lower(pseudonym))`);

    await q.query(`
      CREATE TABLE case_transition (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
        case_id uuid NOT NULL REFERENCES review_case(id),
        from_stage text,
        to_stage text NOT NULL,
        actor_id uuid REFERENCES app_user(id),
        actor_role text,
        comment text,
        occurred_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX case_transition_case_idx ON case_transition (case_id, seq)`);

    await q.query(`
      CREATE TABLE case_hold (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        case_id uuid NOT NULL REFERENCES review_case(id),
        reason text NOT NULL CHECK (reason IN ('criminal_proceedings','inquest','iopc','other')),
        started_on date NOT NULL,
        ended_on date,
        note text,
        created_by uuid REFERENCES app_user(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK (ended_on IS NULL OR ended_on >= started_on)
      )`);
    await q.query(`CREATE INDEX case_hold_case_idx ON case_hold (case_id)`);
    await q.query(`CREATE INDEX case_hold_active_idx ON case_hold (case_id) WHERE ended_on IS NULL`);

    await q.query(`
      CREATE TABLE panel_member (
        case_id uuid NOT NULL REFERENCES review_case(id),
        agency_id uuid NOT NULL REFERENCES agency(id),
        added_by uuid REFERENCES app_user(id),
        added_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (case_id, agency_id)
      )`);
    await q.query(`CREATE INDEX panel_member_agency_idx ON panel_member (agency_id, case_id)`);

    await q.query(`
      CREATE TABLE contribution_request (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
        case_id uuid NOT NULL REFERENCES review_case(id),
        agency_id uuid NOT NULL REFERENCES agency(id),
        kind text NOT NULL CHECK (kind IN ('chronology','imr','summary')),
        due_on date NOT NULL,
        status text NOT NULL DEFAULT 'requested' CHECK (status IN ('requested','submitted','waived')),
        waived_reason text,
        resolved_at timestamptz,
        created_by uuid REFERENCES app_user(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((status = 'waived') = (waived_reason IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX contribution_request_case_idx ON contribution_request (case_id, seq)`);
    await q.query(`CREATE INDEX contribution_request_agency_idx ON contribution_request (agency_id, case_id)`);

    await q.query(`
      CREATE TABLE family_contact (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
        case_id uuid NOT NULL REFERENCES review_case(id),
        contacted_on date NOT NULL,
        method text NOT NULL CHECK (method IN ('letter','phone','meeting','email','via_advocate')),
        leaflet_given boolean NOT NULL,
        advocacy_offered boolean NOT NULL,
        advocacy_provider text,
        draft_report_offered boolean NOT NULL,
        notes text,
        created_by uuid REFERENCES app_user(id),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX family_contact_case_idx ON family_contact (case_id, seq)`);
  }

  public async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'family_contact',
      'contribution_request',
      'panel_member',
      'case_hold',
      'case_transition',
      'case_subject',
      'review_case',
      'case_reference_counter',
    ]) {
      await q.query(`DROP TABLE ${table}`);
    }
  }
}
