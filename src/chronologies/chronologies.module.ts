import { Module } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { ChronologiesController } from './chronologies.controller.js';
import { ChronologiesService } from './chronologies.service.js';
import { CombinedChronologyController } from './combined-chronology.controller.js';

/** Where uploads wait while they are read; each is removed when its request ends. */
export const CHRONOLOGY_UPLOAD_DIR = join(tmpdir(), 'dhr-chronology-uploads');

@Module({
  imports: [
    // Files go to a temporary file, never whole into memory, and are read from there as a stream; one file, up to the limit
    // (413 beyond).
    MulterModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        dest: CHRONOLOGY_UPLOAD_DIR,
        limits: { fileSize: config.chronologyMaxBytes, files: 1, fields: 5, parts: 6 },
      }),
    }),
  ],
  controllers: [ChronologiesController, CombinedChronologyController],
  providers: [ChronologiesService],
})
export class ChronologiesModule {}
