import { Logger, Module } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import { join } from 'node:path';
import { UPLOAD_FILE_NAME_OPTIONS } from '../common/upload-file-name.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { ContributionsModule } from '../contributions/contributions.module.js';
import { NotificationsModule } from '../notifications/notifications.module.js';
import { DOCUMENT_STORE, LocalDocumentStore, type DocumentStore } from './document-store.js';
import { DocumentsController } from './documents.controller.js';
import { DocumentsService } from './documents.service.js';
import { StagingStorage } from './staging-storage.js';
import { StoredFiles } from './stored-files.js';
import { documentsFeature } from './documents.manifest.js';

/** The store, as it starts: what a crash left in its staging folder is cleared first. */
const storeProvider = {
  provide: DOCUMENT_STORE,
  inject: [APP_CONFIG],
  useFactory: async (config: AppConfig): Promise<DocumentStore> => {
    const store = new LocalDocumentStore(join(config.dataDir, 'documents'));
    const removed = await store.removeAbandonedUploads();
    if (removed > 0) new Logger('DocumentStore').warn(`removed ${removed} upload(s) left half-written by an earlier crash`);
    return store;
  },
};

@Module({
  imports: [
    ContributionsModule,
    NotificationsModule,
    MulterModule.registerAsync({
      inject: [APP_CONFIG],
      // The store is made here as well as for the service: MulterModule's factory sees only what is global.
      useFactory: (config: AppConfig) => ({
        storage: new StagingStorage(new LocalDocumentStore(join(config.dataDir, 'documents')), config.documentMaxBytes),
        ...UPLOAD_FILE_NAME_OPTIONS,
        limits: { files: 1, fields: 10, fieldSize: 1024, parts: 12 },
      }),
    }),
  ],
  controllers: [DocumentsController],
  providers: [storeProvider, DocumentsService, StoredFiles, ...(documentsFeature.plugins ?? [])],
  // The anonymisation check reads the final reports' bytes; the public page and the check report a file gone missing.
  exports: [DOCUMENT_STORE, StoredFiles],
})
export class DocumentsModule {}
