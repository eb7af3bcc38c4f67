import { createHash, randomUUID } from 'node:crypto';
import { mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { HttpStatus } from '@nestjs/common';
import { removeAbandonedUploads } from '../common/abandoned-uploads.js';
import { ProblemException } from '../common/problem.js';

/** A file written to a temporary place, not yet part of the store: `commit` moves it in, `discard` forgets it. */
export interface StagedDocument {
  key: string;
  /** Where the bytes can be read while staged (content checks). */
  tempPath: string;
  sizeBytes: number;
  sha256: string;
  commit(): Promise<void>;
  discard(): Promise<void>;
}

/** Where documents' bytes live: the database keeps only their keys. */
export interface DocumentStore {
  /** Streams the file to a temporary place, counting and hashing it; refuses more than `maxBytes` (413). */
  put(stream: Readable, maxBytes: number): Promise<StagedDocument>;
  /** Opens a stored file; rejects with StoredFileMissing when it is not there, before anything is sent. */
  open(key: string): Promise<Readable>;
  remove(key: string): Promise<void>;
  /** The keys of every file the store holds (staged uploads aside), for `npm run storage:verify`. */
  keys(): Promise<string[]>;
  /** A stored file's size in bytes and SHA-256 (read whole), or null when it is not there. */
  digest(key: string): Promise<{ sizeBytes: number; sha256: string } | null>;
  /** Clears the temporary files of uploads a crash cut short (see ABANDONED_UPLOAD_AGE_MS); how many it removed. */
  removeAbandonedUploads(): Promise<number>;
}

export const DOCUMENT_STORE = Symbol('DOCUMENT_STORE');

export function tooLarge(maxBytes: number): ProblemException {
  return new ProblemException(HttpStatus.PAYLOAD_TOO_LARGE, 'payload-too-large', 'Payload too large', `A document may be at most ${maxBytes} bytes.`);
}

/**
 * A document's row names a file the store does not hold (lost from the
 * disk, or a key that is not one of the store's): an integrity fault, never
 * a 500 (docs/domain.md, "A document whose file is missing").
 */
export class StoredFileMissing extends Error {
  constructor(readonly key: string) {
    super('the stored file of a document is missing');
    this.name = 'StoredFileMissing';
  }
}

const KEY = /^[0-9a-f-]{36}$/;
/** A staged file's name: its key and `.part`. */
const STAGED = /^[0-9a-f-]{36}\.part$/;

/** Local disk under `root` (DATA_DIR/documents): names chosen by the server, temporary files in `root/tmp`. */
export class LocalDocumentStore implements DocumentStore {
  private readonly tmp: string;

  constructor(private readonly root: string) {
    this.tmp = join(root, 'tmp');
  }

  private path(key: string): string {
    if (!KEY.test(key)) throw new Error('not a document key');
    return join(this.root, key);
  }

  async put(stream: Readable, maxBytes: number): Promise<StagedDocument> {
    await mkdir(this.tmp, { recursive: true, mode: 0o700 });
    const key = randomUUID();
    const tempPath = join(this.tmp, `${key}.part`);
    const hash = createHash('sha256');
    let size = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        size += chunk.length;
        if (size > maxBytes) return done(tooLarge(maxBytes));
        hash.update(chunk);
        done(null, chunk);
      },
    });
    // Opened before streaming, so that the file exists by the time a refusal removes it: a stream still opening
    // as the pipeline fails would otherwise create it afterwards.
    const handle = await open(tempPath, 'wx', 0o600);
    // The upload is piped, not part of the pipeline: a refusal must not destroy it with the error, which would let
    // the multipart parser answer before the temporary file is gone.
    stream.once('error', (error) => meter.destroy(error));
    stream.pipe(meter);
    try {
      await pipeline(meter, handle.createWriteStream());
    } catch (error) {
      stream.unpipe(meter);
      stream.resume();
      await handle.close().catch(() => undefined);
      await rm(tempPath, { force: true });
      throw error;
    }
    const finalPath = this.path(key);
    return {
      key,
      tempPath,
      sizeBytes: size,
      sha256: hash.digest('hex'),
      commit: () => rename(tempPath, finalPath),
      discard: () => rm(tempPath, { force: true }),
    };
  }

  async open(key: string): Promise<Readable> {
    if (!KEY.test(key)) throw new StoredFileMissing(key);
    try {
      const handle = await open(this.path(key), 'r');
      return handle.createReadStream();
    } catch (error) {
      if (isMissing(error)) throw new StoredFileMissing(key);
      throw error;
    }
  }

  async keys(): Promise<string[]> {
    const entries = await readdir(this.root, { withFileTypes: true }).catch((error: unknown) => {
      if (isMissing(error)) return [];
      throw error;
    });
    return entries.filter((e) => !(e.isDirectory() && e.name === 'tmp')).map((e) => e.name);
  }

  async digest(key: string): Promise<{ sizeBytes: number; sha256: string } | null> {
    if (!KEY.test(key)) return null;
    try {
      if (!(await stat(this.path(key))).isFile()) return null;
      const hash = createHash('sha256');
      let sizeBytes = 0;
      for await (const chunk of (await this.open(key)) as AsyncIterable<Buffer>) {
        sizeBytes += chunk.length;
        hash.update(chunk);
      }
      return { sizeBytes, sha256: hash.digest('hex') };
    } catch (error) {
      if (isMissing(error) || error instanceof StoredFileMissing) return null;
      throw error;
    }
  }

  async remove(key: string): Promise<void> {
    await rm(this.path(key), { force: true });
  }

  removeAbandonedUploads(): Promise<number> {
    return removeAbandonedUploads(this.tmp, STAGED);
  }
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR';
}
