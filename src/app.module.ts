import { DynamicModule, Global, Module, type OnApplicationShutdown, type Type } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Clock, SystemClock } from './common/clock.js';
import { APP_CONFIG, type AppConfig } from './config/app-config.js';
import { FEATURE_MANIFESTS, type FeatureManifest } from './common/feature-manifest.js';
import { dataSourceOptions } from './database/data-source-options.js';
import { databaseSettings } from './database/open-database.js';
import { FEATURES } from './features.js';
import { endUploadWorkers } from './common/upload-worker.js';

export interface AppOptions {
  config: AppConfig;
  databaseUrl: string;
  /** Tests pass a clock they can move. */
  clock?: Clock;
  /** The feature modules to build the application from: FEATURES, or a test's own list. */
  features?: readonly FeatureManifest[];
}

/** The configuration, the clock and the feature manifests, available to every module. */
@Global()
@Module({})
class CoreModule {
  static forRoot(options: AppOptions): DynamicModule {
    return {
      module: CoreModule,
      providers: [
        { provide: APP_CONFIG, useValue: options.config },
        { provide: Clock, useValue: options.clock ?? new SystemClock() },
        { provide: FEATURE_MANIFESTS, useValue: options.features ?? FEATURES },
      ],
      exports: [APP_CONFIG, Clock, FEATURE_MANIFESTS],
    };
  }
}

/** The feature modules' home in the application: it only imports them. */
@Module({})
class FeaturesModule {}

/**
 * Every feature's Nest module, loaded one after another in the list's
 * order. Each is imported as itself, the same module as where another
 * module imports it.
 */
async function featureModules(features: readonly FeatureManifest[]): Promise<DynamicModule> {
  const imports: Type<unknown>[] = [];
  for (const feature of features) imports.push(await feature.module());
  return { module: FeaturesModule, imports };
}

@Module({})
export class AppModule implements OnApplicationShutdown {
  /** A stopping server ends the uploads' worker threads rather than wait for them (common/upload-worker.ts). */
  async onApplicationShutdown(): Promise<void> {
    await endUploadWorkers();
  }

  static forRoot(options: AppOptions): DynamicModule {
    const { config } = options;
    const features = options.features ?? FEATURES;
    return {
      module: AppModule,
      imports: [
        CoreModule.forRoot(options),
        TypeOrmModule.forRoot(dataSourceOptions(databaseSettings(config, options.databaseUrl), features)),
        ScheduleModule.forRoot(),
        featureModules(features),
      ],
    };
  }
}
