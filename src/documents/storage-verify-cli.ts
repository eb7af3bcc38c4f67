/**
 * npm run storage:verify
 *
 * Compares the document rows with the document store (DATA_DIR/documents):
 * lists each row whose file is missing, or whose file's size or SHA-256
 * differs from what the row recorded at upload, and each file no row owns,
 * one JSON line each, by document id and storage key only. Exits 1 if there
 * is any, 0 when they all agree. Uses the same configuration and database as
 * the server; changes nothing.
 */
import { DataSource } from 'typeorm';
import { withAppContext } from '../app-context.js';
import { loadConfig } from '../config/app-config.js';
import { DOCUMENT_STORE, type DocumentStore } from './document-store.js';
import { verifyStorage } from './storage-verify.js';

async function main(): Promise<number> {
  const config = { ...loadConfig(), sweepCron: undefined, mail: undefined };
  const report = await withAppContext(config, 'npm run storage:verify', (app) => verifyStorage(app.get(DataSource), app.get<DocumentStore>(DOCUMENT_STORE, { strict: false })));
  for (const finding of report.findings) process.stdout.write(JSON.stringify(finding) + '\n');
  process.stdout.write(`${report.documentsChecked} documents and ${report.filesChecked} stored files checked, ${report.findings.length} problems\n`);
  return report.findings.length === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`storage:verify failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(2);
  },
);
