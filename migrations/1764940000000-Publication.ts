import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The end of a review: the terms its published report must not contain
 * (besides the subjects' own names and addresses), and its publication, with
 * the date and the address where it was published, its withdrawal, and the
 * SDP's override of the 12 months before the case may close.
 */
export class Publication1764940000000 implements MigrationInterface {
  name = 'Publication1764940000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE protected_term (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
        case_id uuid NOT NULL REFERENCES review_case(id),
        term text NOT NULL CHECK (btrim(term) <> ''),
        added_by uuid REFERENCES app_user(id),
        added_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX protected_term_case_idx ON protected_term (case_id, seq)`);

    await q.query(`
      CREATE TABLE publication (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        case_id uuid NOT NULL UNIQUE REFERENCES review_case(id),
        published_on date NOT NULL,
        url text NOT NULL CHECK (url ~* '^https?://'),
        published_by uuid REFERENCES app_user(id),
        recorded_at timestamptz NOT NULL,
        withdrawn_on date,
        withdrawal_reason text,
        withdrawn_by uuid REFERENCES app_user(id),
        closure_override_reason text,
        closure_overridden_by uuid REFERENCES app_user(id),
        closure_overridden_at timestamptz,
        CONSTRAINT publication_withdrawal_reasoned CHECK ((withdrawn_on IS NULL) = (withdrawal_reason IS NULL)),
        CONSTRAINT publication_withdrawn_after_publication CHECK (withdrawn_on >= published_on),
        CONSTRAINT publication_override_reasoned CHECK ((closure_override_reason IS NULL) = (closure_overridden_at IS NULL))
      )`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE publication`);
    await q.query(`DROP TABLE protected_term`);
  }
}
