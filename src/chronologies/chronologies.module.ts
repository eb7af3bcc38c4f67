import { Module } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import { tmpdir } from 'node:os';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { ChronologiesController } from './chronologies.controller.js';
import { ChronologiesService } from './chronologies.service.js';

@Module({
  imports: [
    // Files go to a temporary file, never whole into memory, and are read from there as a stream; one file, up to the limit (413 beyond).
    MulterModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        dest: tmpdir(),
        limits: { fileSize: config.chronologyMaxBytes, files: 1, fields: 5, parts: 6 },
      }),
    }),
  ],
  controllers: [ChronologiesController],
  providers: [ChronologiesService],
})
export class ChronologiesModule {}
