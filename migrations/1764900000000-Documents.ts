import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The case's documents: IMRs, terms of reference, the overview report, the
 * executive summary, the action plan and the rest. The file itself is kept
 * outside the database (DocumentStore); the row holds its metadata, its
 * SHA-256 and the key it is stored under. Every upload of one kind (and
 * agency, for an IMR) is a new version; at most one of them is final.
 */
export class Documents1764900000000 implements MigrationInterface {
  name = 'Documents1764900000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE case_document (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        case_id uuid NOT NULL REFERENCES review_case(id),
        kind text NOT NULL CHECK (kind IN ('imr', 'terms_of_reference', 'overview_report', 'executive_summary', 'action_plan', 'qa_letter', 'other')),
        agency_id uuid REFERENCES agency(id),
        version integer NOT NULL CHECK (version > 0),
        final boolean NOT NULL DEFAULT false,
        original_name text NOT NULL,
        content_type text NOT NULL,
        size_bytes bigint NOT NULL CHECK (size_bytes > 0),
        sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
        storage_key text NOT NULL UNIQUE,
        uploaded_by uuid REFERENCES app_user(id),
        uploaded_at timestamptz NOT NULL,
        CONSTRAINT case_document_imr_agency CHECK ((kind = 'imr') = (agency_id IS NOT NULL))
      )`);
    await q.query(`CREATE UNIQUE INDEX case_document_version_key ON case_document (case_id, kind, coalesce(agency_id, '00000000-0000-0000-0000-000000000000'::uuid), version)`);
    await q.query(`CREATE UNIQUE INDEX case_document_one_final ON case_document (case_id, kind, coalesce(agency_id, '00000000-0000-0000-0000-000000000000'::uuid)) WHERE final`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE case_document`);
  }
}
