/**
 * After every test file: no upload worker thread outlives its file. A test
 * that times out while a file is being read would otherwise leave the
 * thread running to its one-minute deadline, and keep the Jest worker from
 * exiting (common/upload-worker.ts, endUploadWorkers).
 */
import { afterAll } from '@jest/globals';
import { endUploadWorkers } from '../../src/common/upload-worker.js';

afterAll(endUploadWorkers);
