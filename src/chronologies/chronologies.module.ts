import { Module } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { ChronologiesController } from './chronologies.controller.js';
import { ChronologiesService } from './chronologies.service.js';
import { CombinedChronologyController } from './combined-chronology.controller.js';

/**
 * Where uploads wait while they are read; each is removed when its request
 * ends. Under DATA_DIR, readable by this service's user only: the files are
 * agencies' records, not for a machine-wide temporary folder.
 */
export function chronologyUploadDir(dataDir: string): string {
  return join(dataDir, 'chronology-uploads');
}

@Module({
  imports: [
    // Files go to a temporary file, never whole into memory, and are read from there as a stream; one file, up to the limit
    // (413 beyond).
    MulterModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => {
        const dest = chronologyUploadDir(config.dataDir);
        mkdirSync(dest, { recursive: true, mode: 0o700 });
        return {
          dest,
          limits: { fileSize: config.chronologyMaxBytes, files: 1, fields: 5, parts: 6 },
        };
      },
    }),
  ],
  controllers: [ChronologiesController, CombinedChronologyController],
  providers: [ChronologiesService],
})
export class ChronologiesModule {}
