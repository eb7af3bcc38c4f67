/** The worker thread that checks one uploaded document's content (content-check.ts), started by checkContent. */
import type { PackageLimits } from '../common/ooxml-package.js';
import { serveUploadTask } from '../common/upload-worker.js';
import { recognise } from './content-recognition.js';

serveUploadTask(({ path, limits }: { path: string; limits: PackageLimits }) => recognise(path, limits));
