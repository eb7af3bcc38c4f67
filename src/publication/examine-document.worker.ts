/** The worker thread that examines one final report for the anonymisation check (anonymisation-check.ts, examineApart). */
import { serveUploadTask } from '../common/upload-worker.js';
import { examineDocument, type ExamineJob } from './examine-document.js';

serveUploadTask(({ bytes, contentType, terms }: ExamineJob) => examineDocument(Buffer.from(bytes), contentType, terms));
