import { Inject, Logger, Module, type OnModuleInit } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { removeAbandonedUploads } from '../common/abandoned-uploads.js';
import { UPLOAD_FILE_NAME_OPTIONS } from '../common/upload-file-name.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { ContributionsModule } from '../contributions/contributions.module.js';
import { ChronologiesController } from './chronologies.controller.js';
import { ChronologiesService } from './chronologies.service.js';
import { CombinedChronologyController } from './combined-chronology.controller.js';

/**
 * Where uploads wait while they are read, and the rows read from them wait
 * to be written (a spool file beside each); each is removed when its
 * request ends. Under DATA_DIR, readable by this service's user only: the files are
 * agencies' records, not for a machine-wide temporary folder.
 */
export function chronologyUploadDir(dataDir: string): string {
  return join(dataDir, 'chronology-uploads');
}

/** The names multer gives the files it writes (16 random bytes in hex), and their rows' spool files (`.rows`). */
const MULTER_FILE = /^[0-9a-f]{32}(\.rows)?$/;

@Module({
  imports: [
    ContributionsModule,
    // Files go to a temporary file, never whole into memory, and are read from there as a stream; one file, up to the limit
    // (413 beyond).
    MulterModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => {
        const dest = chronologyUploadDir(config.dataDir);
        mkdirSync(dest, { recursive: true, mode: 0o700 });
        return {
          dest,
          ...UPLOAD_FILE_NAME_OPTIONS,
          limits: { fileSize: config.chronologyMaxBytes, files: 1, fields: 5, parts: 6 },
        };
      },
    }),
  ],
  controllers: [ChronologiesController, CombinedChronologyController],
  providers: [ChronologiesService],
})
export class ChronologiesModule implements OnModuleInit {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** Clears the uploads a crash cut short before this process takes any. */
  async onModuleInit(): Promise<void> {
    const removed = await removeAbandonedUploads(chronologyUploadDir(this.config.dataDir), MULTER_FILE);
    if (removed > 0) new Logger('Chronologies').warn(`removed ${removed} upload(s) left behind by an earlier crash`);
  }
}
