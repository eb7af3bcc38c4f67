import * as queries from '../../src/database/backup.queries.js';
import type { SqlSamples } from '../support/sql-snapshot.js';

/** A foreign key in the form the catalogue lists it (fictional: only recorded, never dropped). */
const KEY: queries.ForeignKey = { tableName: 'case_agency', name: 'fk_case_agency_case', definition: 'FOREIGN KEY (case_id) REFERENCES review_case(id)' };

/**
 * What `npm run backup` and `npm run restore` send, as the schema's owner.
 * The statements that end a transaction, or change what a rollback keeps
 * (a sequence), or need a schema without rows pointing at them, are recorded
 * and not run.
 */
export default {
  file: 'src/database/backup.queries.ts',
  queries,
  role: 'owner',
  async setup() {
    return {};
  },
  calls: {
    beginDumpSnapshot: (db) => queries.beginDumpSnapshot(db),
    endDumpSnapshot: (db) => queries.endDumpSnapshot(db),
    abandonDumpSnapshot: (db) => queries.abandonDumpSnapshot(db),
    appliedMigrations: (db) => queries.appliedMigrations(db),
    backupTables: (db) => queries.backupTables(db),
    sequencePositions: (db) => queries.sequencePositions(db),
    openDumpCursor: (db) => queries.openDumpCursor(db, 'partnership'),
    fetchDumpRows: async (db) => {
      await queries.openDumpCursor(db, 'partnership');
      return queries.fetchDumpRows(db, 1000);
    },
    closeDumpCursor: async (db) => {
      await queries.openDumpCursor(db, 'partnership');
      await queries.closeDumpCursor(db);
    },
    schemaTableCount: (db) => queries.schemaTableCount(db),
    dropSchema: (db) => queries.dropSchema(db),
    storedColumns: (db) => queries.storedColumns(db, 'review_case'),
    foreignKeys: (db) => queries.foreignKeys(db),
    dropForeignKey: (db) => queries.dropForeignKey(db, KEY),
    addForeignKey: (db) => queries.addForeignKey(db, KEY),
    setTriggers: { off: (db) => queries.setTriggers(db, 'audit_event', false), on: (db) => queries.setTriggers(db, 'audit_event', true) },
    deleteRows: (db) => queries.deleteRows(db, 'partnership'),
    insertRows: (db) => queries.insertRows(db, 'partnership', ['id', 'name'], '[]'),
    countRows: (db) => queries.countRows(db, 'partnership'),
    resetSequence: (db) => queries.resetSequence(db, { name: 'audit_event_seq_seq', lastValue: '42', startValue: '1' }),
    auditDefaultSpan: (db) => queries.auditDefaultSpan(db),
    ensureAuditMonths: (db) => queries.ensureAuditMonths(db, new Date('2026-01-15T00:00:00Z'), new Date('2026-02-15T00:00:00Z')),
    announcePrincipalsReplaced: (db) => queries.announcePrincipalsReplaced(db),
  },
  recordOnly: ['beginDumpSnapshot', 'endDumpSnapshot', 'abandonDumpSnapshot', 'dropSchema', 'dropForeignKey', 'addForeignKey', 'deleteRows', 'insertRows', 'resetSequence'],
} satisfies SqlSamples<typeof queries, Record<string, never>>;
