import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import { createInterface } from 'node:readline';
import { parseCsv, parseXlsx, type ParsedEntry, type ParseOutcome } from './chronology-parser.js';
import type { ChronologyFormat } from './chronology-file.js';

/**
 * Reading a chronology is done whole before anything is written
 * (docs/architecture.md, "Uploads and their temporary files"): in a worker
 * thread, the file is parsed and every row checked, and the good rows go to
 * a spool file beside the upload, under DATA_DIR. Only a file found good is
 * then written, from the spool, under the case's lock.
 */
export interface ChronologyReadJob {
  path: string;
  format: ChronologyFormat;
  /** Where the good rows go, one JSON object a line; the caller removes it. */
  spoolPath: string;
  maxRows: number;
  today: string;
  maxInflatedBytes: number;
}

/** Parses the file, spooling its good rows; what the file came to. */
export async function readChronology(job: ChronologyReadJob): Promise<ParseOutcome> {
  const spool = createWriteStream(job.spoolPath, { flags: 'wx', mode: 0o600 });
  const store = async (batch: ParsedEntry[]) => {
    if (!spool.write(batch.map((entry) => JSON.stringify(entry)).join('\n') + '\n')) await once(spool, 'drain');
  };
  try {
    const options = { maxRows: job.maxRows, today: job.today, store, maxInflatedBytes: job.maxInflatedBytes };
    return job.format === 'csv' ? await parseCsv(job.path, options) : await parseXlsx(job.path, options);
  } finally {
    spool.end();
    await finished(spool);
  }
}

/** The spooled rows, `size` at a time. */
export async function* spooledBatches(spoolPath: string, size: number): AsyncGenerator<ParsedEntry[]> {
  const lines = createInterface({ input: createReadStream(spoolPath), crlfDelay: Infinity });
  let batch: ParsedEntry[] = [];
  for await (const line of lines) {
    if (line === '') continue;
    batch.push(JSON.parse(line) as ParsedEntry);
    if (batch.length === size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}
