import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The chronologies the agencies submit: each upload is a new version of one
 * agency's chronology for a case, and its rows are kept as the spreadsheet
 * gave them (row number, the date as entered and how precise it was).
 */
export class Chronologies1764910000000 implements MigrationInterface {
  name = 'Chronologies1764910000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE chronology_submission (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        case_id uuid NOT NULL REFERENCES review_case(id),
        agency_id uuid NOT NULL REFERENCES agency(id),
        version integer NOT NULL CHECK (version > 0),
        row_count integer NOT NULL CHECK (row_count >= 0),
        original_name text NOT NULL,
        uploaded_by uuid REFERENCES app_user(id),
        uploaded_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (case_id, agency_id, version)
      )`);
    await q.query(`
      CREATE TABLE chronology_entry (
        submission_id uuid NOT NULL REFERENCES chronology_submission(id),
        row_number integer NOT NULL,
        event_on date NOT NULL,
        date_precision text NOT NULL CHECK (date_precision IN ('day','month','year')),
        date_uncertain boolean NOT NULL DEFAULT false,
        date_text text NOT NULL,
        event_time time,
        source text NOT NULL,
        details text NOT NULL,
        subject text,
        event_type text,
        action_taken text,
        comment text,
        PRIMARY KEY (submission_id, row_number)
      )`);
    await q.query(`CREATE INDEX chronology_entry_event_idx ON chronology_entry (submission_id, event_on)`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE chronology_entry`);
    await q.query(`DROP TABLE chronology_submission`);
  }
}
