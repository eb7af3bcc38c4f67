/** The worker thread that reads one chronology (chronology-read.ts), started by the chronologies service. */
import { serveUploadTask } from '../common/upload-worker.js';
import { readChronology } from './chronology-read.js';

serveUploadTask(readChronology);
