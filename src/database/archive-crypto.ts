/**
 * Encrypted backup archives (README, "Backup and restore"; docs/security.md,
 * "Restarts, restores and backup archives"): AES-256-GCM through node:crypto,
 * streamed, with the key from BACKUP_ENCRYPTION_KEY.
 *
 * Layout: MAGIC (16 bytes), the key's id (8 bytes: which key sealed it, so a
 * wrong key is told from a damaged archive), a random 12-byte IV, the
 * ciphertext of the .tar.gz, and the 16-byte authentication tag. The header
 * is authenticated with the contents, so no byte of the file can change
 * without the tag refusing it.
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { writeStreamOnNewFile } from '../common/new-file.js';

const MAGIC = Buffer.from('DHR-BACKUP-GCM1\n', 'latin1');
const KEY_ID_BYTES = 8;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const HEADER_BYTES = MAGIC.length + KEY_ID_BYTES + IV_BYTES;

export class ArchiveKeyError extends Error {}

function keyId(key: Buffer): Buffer {
  return createHmac('sha256', key).update('dhr-backup-key-id').digest().subarray(0, KEY_ID_BYTES);
}

/** The archive's bytes, sealed: written by `sealArchive` into a file created for its owner alone. */
async function* sealed(source: Readable, key: Buffer): AsyncGenerator<Buffer> {
  const iv = randomBytes(IV_BYTES);
  const header = Buffer.concat([MAGIC, keyId(key), iv]);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(header);
  yield header;
  for await (const chunk of source) yield cipher.update(chunk as Buffer);
  yield cipher.final();
  yield cipher.getAuthTag();
}

/** Copies `plain` to `file` (which must not exist; created 0600), encrypted when a key is given. */
export async function sealArchive(plain: string, file: string, key: Buffer | undefined): Promise<void> {
  const source = createReadStream(plain);
  const out = await writeStreamOnNewFile(file, { exclusive: true });
  if (key) await pipeline(source, (input: Readable) => sealed(input, key), out);
  else await pipeline(source, out);
}

/** Whether `file` starts as an encrypted archive does. */
export async function isSealed(file: string): Promise<boolean> {
  const handle = await open(file, 'r');
  try {
    const start = Buffer.alloc(MAGIC.length);
    const { bytesRead } = await handle.read(start, 0, MAGIC.length, 0);
    return bytesRead === MAGIC.length && start.equals(MAGIC);
  } finally {
    await handle.close();
  }
}

/**
 * Decrypts `file` into `plain` (created 0600) and checks its tag: a wrong key,
 * or any byte changed, added or cut off, throws ArchiveKeyError. The caller
 * must not use `plain` unless this resolves.
 */
export async function openArchive(file: string, plain: string, key: Buffer): Promise<void> {
  const handle = await open(file, 'r');
  let header: Buffer;
  let tag: Buffer;
  let size: number;
  try {
    size = (await handle.stat()).size;
    if (size < HEADER_BYTES + TAG_BYTES) throw new ArchiveKeyError('the encrypted archive is truncated: it is shorter than its header');
    header = Buffer.alloc(HEADER_BYTES);
    tag = Buffer.alloc(TAG_BYTES);
    await handle.read(header, 0, HEADER_BYTES, 0);
    await handle.read(tag, 0, TAG_BYTES, size - TAG_BYTES);
  } finally {
    await handle.close();
  }
  if (!header.subarray(MAGIC.length, MAGIC.length + KEY_ID_BYTES).equals(keyId(key))) {
    throw new ArchiveKeyError('the archive was encrypted with another key than BACKUP_ENCRYPTION_KEY');
  }
  const decipher = createDecipheriv('aes-256-gcm', key, header.subarray(MAGIC.length + KEY_ID_BYTES));
  decipher.setAAD(header);
  decipher.setAuthTag(tag);
  const ciphertext = size > HEADER_BYTES + TAG_BYTES ? createReadStream(file, { start: HEADER_BYTES, end: size - TAG_BYTES - 1 }) : Readable.from([]);
  const out = await writeStreamOnNewFile(plain, { exclusive: true });
  try {
    await pipeline(ciphertext, decipher, out);
  } catch {
    throw new ArchiveKeyError('the encrypted archive has been altered or damaged: its authentication tag does not match');
  }
}
