import * as queries from '../../src/database/database.queries.js';
import type { SqlSamples } from '../support/sql-snapshot.js';

/**
 * What the start-up, the migrations and the test runner send about roles,
 * databases, grants and the migration lock, as the schema's owner. What only
 * a superuser may run, what cannot run inside a transaction (CREATE
 * DATABASE) and what would outlive the sample's rollback (a session's
 * advisory lock) is recorded and not run. Role names and the password are
 * fictional.
 */
export default {
  file: 'src/database/database.queries.ts',
  queries,
  role: 'owner',
  async setup() {
    return {};
  },
  calls: {
    takeMigrationLock: (db) => queries.takeMigrationLock(db, 42),
    releaseMigrationLock: (db) => queries.releaseMigrationLock(db, 42),
    databaseExists: (db) => queries.databaseExists(db, 'postgres'),
    roleExists: (db) => queries.roleExists(db, 'dhr_sample_role'),
    createLoginRole: (db) => queries.createLoginRole(db, 'dhr_sample_role', 'fictional-password'),
    resetLoginRole: (db) => queries.resetLoginRole(db, 'dhr_sample_role', 'fictional-password'),
    createDatabaseOwnedBy: {
      empty: (db) => queries.createDatabaseOwnedBy(db, 'dhr_sample', 'dhr_sample_owner'),
      'from a template': (db) => queries.createDatabaseOwnedBy(db, 'dhr_sample', 'dhr_sample_owner', 'dhr_template'),
    },
    setDatabaseAccess: (db) => queries.setDatabaseAccess(db, 'dhr_sample', 'dhr_sample_owner', 'dhr_sample_app'),
    takeOwnership: (db) => queries.takeOwnership(db, 'dhr_sample_owner'),
    currentRole: (db) => queries.currentRole(db),
    grantAppPrivileges: (db) => queries.grantAppPrivileges(db, 'dhr_sample_owner', 'dhr_sample_app'),
    auditPartitioningAvailable: (db) => queries.auditPartitioningAvailable(db),
    ensureAuditPartitions: (db) => queries.ensureAuditPartitions(db, new Date('2026-03-01T00:00:00Z')),
    begin: (db) => queries.begin(db),
    commit: (db) => queries.commit(db),
    rollback: (db) => queries.rollback(db),
  },
  recordOnly: [
    'takeMigrationLock',
    'releaseMigrationLock',
    'createLoginRole',
    'resetLoginRole',
    'createDatabaseOwnedBy',
    'setDatabaseAccess',
    'takeOwnership',
    'grantAppPrivileges',
    'begin',
    'commit',
    'rollback',
  ],
} satisfies SqlSamples<typeof queries, Record<string, never>>;
