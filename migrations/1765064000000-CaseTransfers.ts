import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A case moved by an SDP administrator from one partnership to another
 * (docs/domain.md, "Transfer between partnerships"): one row per move, with
 * the partnerships it left and joined and the reason given, which the audit
 * trail records only as masked free text. The case row itself carries its
 * current partnership, as before; existing cases have no transfer.
 */
export class CaseTransfers1765064000000 implements MigrationInterface {
  name = 'CaseTransfers1765064000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE case_transfer (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
        case_id uuid NOT NULL REFERENCES review_case(id),
        from_partnership_id uuid NOT NULL REFERENCES partnership(id),
        to_partnership_id uuid NOT NULL REFERENCES partnership(id),
        reason text NOT NULL CHECK (length(btrim(reason)) > 0),
        transferred_by uuid REFERENCES app_user(id),
        transferred_at timestamptz NOT NULL,
        CONSTRAINT case_transfer_moves CHECK (from_partnership_id <> to_partnership_id)
      )`);
    await q.query(`CREATE INDEX case_transfer_case_idx ON case_transfer (case_id, seq)`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE case_transfer`);
  }
}
