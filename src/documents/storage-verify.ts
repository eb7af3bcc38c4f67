/**
 * What `npm run storage:verify` checks (docs/domain.md, "A document whose
 * file is missing"): every document row against the document store, and
 * the store against the rows. Reads only; changes nothing.
 */
import type { Queryable } from '../common/sql.js';
import type { DocumentStore } from './document-store.js';
import { storedFiles } from './documents.queries.js';

/** What can be wrong between a row and its file. */
export type StorageProblem = 'file_missing' | 'file_unowned' | 'size_differs' | 'hash_differs';

/** One thing wrong: by document id and storage key only, never a file's name. */
export interface StorageFinding {
  problem: StorageProblem;
  storageKey: string;
  documentId?: string;
  expected?: string | number;
  found?: string | number;
}

export interface StorageReport {
  documentsChecked: number;
  filesChecked: number;
  findings: StorageFinding[];
}

const BATCH = 500;

/** Compares every document's row with its stored file (present, same size, same SHA-256), then lists the files no row owns. */
export async function verifyStorage(db: Queryable, store: DocumentStore): Promise<StorageReport> {
  const findings: StorageFinding[] = [];
  const owned = new Set<string>();
  let after = '';
  for (;;) {
    const rows = await storedFiles(db, after, BATCH);
    for (const row of rows) {
      owned.add(row.storageKey);
      const finding = await compare(store, row);
      if (finding) findings.push(finding);
    }
    if (rows.length < BATCH) break;
    after = rows[rows.length - 1].storageKey;
  }
  const files = await store.keys();
  for (const key of files.filter((k) => !owned.has(k)).sort()) findings.push({ problem: 'file_unowned', storageKey: key });
  return { documentsChecked: owned.size, filesChecked: files.length, findings };
}

async function compare(store: DocumentStore, row: Awaited<ReturnType<typeof storedFiles>>[number]): Promise<StorageFinding | null> {
  const { documentId, storageKey } = row;
  const file = await store.digest(storageKey);
  if (!file) return { problem: 'file_missing', documentId, storageKey };
  if (file.sizeBytes !== row.sizeBytes) return { problem: 'size_differs', documentId, storageKey, expected: row.sizeBytes, found: file.sizeBytes };
  if (file.sha256 !== row.sha256) return { problem: 'hash_differs', documentId, storageKey, expected: row.sha256, found: file.sha256 };
  return null;
}
