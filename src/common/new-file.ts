import type { WriteStream } from 'node:fs';
import { open } from 'node:fs/promises';

/**
 * A write stream on a file that already exists when this resolves (created
 * 0600; `exclusive` refuses one that is there). `fs.createWriteStream` opens
 * its file later, so a stream that fails or is abandoned at once can create
 * the file after the caller has removed its folder, and that removal then
 * fails with ENOTEMPTY or leaves the file behind. The stream closes the file
 * when it finishes or is destroyed.
 */
export async function writeStreamOnNewFile(path: string, options: { exclusive: boolean }): Promise<WriteStream> {
  const handle = await open(path, options.exclusive ? 'wx' : 'w', 0o600);
  return handle.createWriteStream();
}

/** Ends `stream` at once after a failure, and waits until its file is closed. */
export async function abandonWriteStream(stream: WriteStream): Promise<void> {
  if (stream.closed) return;
  await new Promise<void>((resolve) => {
    stream.once('close', () => resolve());
    stream.destroy();
  });
}
