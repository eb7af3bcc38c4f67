import type { Request } from 'express';
import type { Readable } from 'node:stream';
import type { DocumentStore, StagedDocument } from './document-store.js';

/** An uploaded file as the controller receives it: staged in the store, not yet in it. */
export interface UploadedDocument {
  originalname: string;
  staged: StagedDocument;
}

/** The part of multer's file that a storage engine is given (multer ships no types). */
interface IncomingFile {
  originalname: string;
  stream: Readable;
}

/**
 * A multer storage engine that streams the file part straight into the
 * DocumentStore's temporary place, counting and hashing as it goes; nothing
 * is kept in memory, and a refused file leaves nothing behind.
 */
export class StagingStorage {
  constructor(
    private readonly store: DocumentStore,
    private readonly maxBytes: number,
  ) {}

  _handleFile(_req: Request, file: IncomingFile, callback: (error?: unknown, info?: { staged: StagedDocument; size: number }) => void): void {
    this.store.put(file.stream, this.maxBytes).then(
      (staged) => callback(null, { staged, size: staged.sizeBytes }),
      (error: unknown) => callback(error),
    );
  }

  _removeFile(_req: Request, file: { staged?: StagedDocument }, callback: (error: Error | null) => void): void {
    (file.staged ? file.staged.discard() : Promise.resolve()).then(
      () => callback(null),
      (error: Error) => callback(error),
    );
  }
}
