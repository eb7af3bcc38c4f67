/**
 * npm run backup [-- <archive.tar.gz>]
 * npm run restore -- <archive.tar.gz> [--force]
 *
 * The database the server uses (DATABASE_URL and MIGRATION_DATABASE_URL, or
 * the embedded PostgreSQL under DATA_DIR: a backup uses a running server's,
 * a restore refuses to run beside one) and the documents under DATA_DIR/documents,
 * written to or read from one archive (see backup.ts). Connects as the role
 * that owns the schema. Without a name the backup goes to
 * ./backups/dhr-<date and time, UTC>.tar.gz (`.tar.gz.enc` when
 * BACKUP_ENCRYPTION_KEY seals it), the folder kept 0700 and the archive 0600.
 */
import { join } from 'node:path';
import { loadConfig } from '../config/app-config.js';
import { backup, restore } from './backup.js';
import { commandLineTool, openDatabase } from './open-database.js';

const USAGE = 'usage: npm run backup [-- <archive.tar.gz>] | npm run restore -- <archive.tar.gz> [--force]';

const DEFAULT_FOLDER = 'backups';

function defaultArchive(encrypted: boolean, now = new Date()): string {
  return join(DEFAULT_FOLDER, `dhr-${now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}.tar.gz${encrypted ? '.enc' : ''}`);
}

async function main(): Promise<void> {
  // Whatever tar or this process writes on the way is its owner's alone, as the archive is.
  process.umask(0o077);
  const [command, ...rest] = process.argv.slice(2);
  const force = rest.includes('--force');
  const files = rest.filter((arg) => !arg.startsWith('--'));
  if ((command !== 'backup' && command !== 'restore') || files.length > 1 || (command === 'restore' && files.length !== 1)) throw new Error(USAGE);
  const config = loadConfig();
  const documentsDir = join(config.dataDir, 'documents');
  const database = await openDatabase(
    config,
    command === 'backup' ? commandLineTool('npm run backup') : commandLineTool('npm run restore', 'a restore replaces the data under it'),
  );
  try {
    if (command === 'backup') {
      const key = config.backupEncryptionKey;
      const archive = files[0] ?? defaultArchive(key !== undefined);
      const manifest = await backup(database.migrationUrl, documentsDir, archive, { key, ownFolder: files[0] === undefined });
      process.stdout.write(`${JSON.stringify({ archive, encrypted: key !== undefined, tables: Object.keys(manifest.tables).length, documents: manifest.documents })}\n`);
    } else {
      const manifest = await restore(files[0], {
        ownerUrl: database.migrationUrl,
        appRole: database.appRole,
        documentsDir,
        force,
        key: config.backupEncryptionKey,
      });
      process.stdout.write(`${JSON.stringify({ restored: files[0], createdAt: manifest.createdAt, documents: manifest.documents })}\n`);
    }
  } finally {
    await database.embedded?.stop();
  }
}

main().catch((error: unknown) => {
  console.error(`${process.argv[2] ?? 'backup'} failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
