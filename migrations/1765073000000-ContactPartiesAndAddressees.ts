import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Family, friends and others (docs/domain.md, "Family, friends and
 * others"): a family contact records its `party` (the victim's family by
 * default, a friend, a colleague, a neighbour, the perpetrator's family or
 * another) and whether the person `declined` to take part; a national
 * recommendation names its `addressee`.
 *
 * Every existing contact was with the victim's family, as the contacts were
 * until now, and none is recorded as declined: so no stored milestone and
 * no precondition changes. Existing national recommendations keep a null
 * addressee (the requirement applies to those made from now on); an
 * addressee goes with a national recommendation only, which every existing
 * row satisfies.
 */
export class ContactPartiesAndAddressees1765073000000 implements MigrationInterface {
  name = 'ContactPartiesAndAddressees1765073000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE family_contact
        ADD COLUMN party text NOT NULL DEFAULT 'victim_family'
          CHECK (party IN ('victim_family','friend','colleague','neighbour','perpetrator_family','other')),
        ADD COLUMN declined boolean NOT NULL DEFAULT false`);
    await q.query(`
      ALTER TABLE recommendation
        ADD COLUMN addressee text CHECK (btrim(addressee) <> ''),
        ADD CONSTRAINT recommendation_addressee_national CHECK (addressee IS NULL OR scope = 'national')`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE recommendation DROP CONSTRAINT recommendation_addressee_national, DROP COLUMN addressee`);
    await q.query(`ALTER TABLE family_contact DROP COLUMN declined, DROP COLUMN party`);
  }
}
