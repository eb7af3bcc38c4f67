import { badRequest } from './problem.js';
import { SINGLE_LINE } from './text-rules.js';

/** A file name is one name on a disk: no system keeps more than 255 characters. */
export const MAX_FILE_NAME_LENGTH = 255;

/**
 * Multer's options for every upload's file name (docs/security.md, "Format
 * characters and repeated refusals"): read as UTF-8 whether the client
 * sends `filename="…"` or `filename*=UTF-8''…` (multer reads a plain
 * `filename` as Latin-1 unless told), and held to the one-line text rule
 * before anything is stored: a name that is not one line of visible text
 * is refused with a 400 naming the `file` field, the way every other text
 * field is refused, never stored changed (the audit would then record a
 * name the uploader never sent).
 */
export const UPLOAD_FILE_NAME_OPTIONS = {
  defParamCharset: 'utf8',
  fileFilter(_req: unknown, file: { originalname: string }, accept: (error: Error | null, acceptFile: boolean) => void): void {
    const problem = fileNameProblem(file.originalname);
    if (problem) accept(badRequest(`file: the file’s name ${problem}`, [{ field: 'file', message: `the file’s name ${problem}` }]), false);
    else accept(null, true);
  },
};

/** What is wrong with an uploaded file's name, if anything. */
export function fileNameProblem(name: string): string | null {
  if (!SINGLE_LINE.test(name)) return 'must be a single line of text, without control, format or invisible characters';
  if (name.length > MAX_FILE_NAME_LENGTH) return `must be at most ${MAX_FILE_NAME_LENGTH} characters`;
  return null;
}
