import { DynamicModule, Global, Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AccessModule } from './access/access.module.js';
import { ActionsModule } from './actions/actions.module.js';
import { AgenciesModule } from './agencies/agencies.module.js';
import { AuditModule } from './audit/audit.module.js';
import { AuthModule } from './auth/auth.module.js';
import { CasesModule } from './cases/cases.module.js';
import { ClientsModule } from './clients/clients.module.js';
import { Clock, SystemClock } from './common/clock.js';
import { APP_CONFIG, type AppConfig } from './config/app-config.js';
import { dataSourceOptions } from './database/data-source-options.js';
import { databaseSettings } from './database/open-database.js';
import { ChronologiesModule } from './chronologies/chronologies.module.js';
import { ContributionsModule } from './contributions/contributions.module.js';
import { DocumentsModule } from './documents/documents.module.js';
import { FamilyContactsModule } from './family-contacts/family-contacts.module.js';
import { HealthModule } from './health/health.module.js';
import { MilestonesModule } from './milestones/milestones.module.js';
import { NotificationsModule } from './notifications/notifications.module.js';
import { PanelModule } from './panel/panel.module.js';
import { PartnershipsModule } from './partnerships/partnerships.module.js';
import { PublicPageModule } from './public-page/public-page.module.js';
import { PublicationModule } from './publication/publication.module.js';
import { QaModule } from './qa/qa.module.js';
import { ReportsModule } from './reports/reports.module.js';
import { ThemesModule } from './themes/themes.module.js';
import { UsersModule } from './users/users.module.js';

export interface AppOptions {
  config: AppConfig;
  databaseUrl: string;
  /** Tests pass a clock they can move. */
  clock?: Clock;
}

/** The configuration and the clock, available to every module. */
@Global()
@Module({})
class CoreModule {
  static forRoot(options: AppOptions): DynamicModule {
    return {
      module: CoreModule,
      providers: [
        { provide: APP_CONFIG, useValue: options.config },
        { provide: Clock, useValue: options.clock ?? new SystemClock() },
      ],
      exports: [APP_CONFIG, Clock],
    };
  }
}

@Module({})
export class AppModule {
  static forRoot(options: AppOptions): DynamicModule {
    const { config } = options;
    return {
      module: AppModule,
      imports: [
        CoreModule.forRoot(options),
        TypeOrmModule.forRoot(dataSourceOptions(databaseSettings(config, options.databaseUrl))),
        ScheduleModule.forRoot(),
        AuditModule,
        AccessModule,
        AuthModule,
        ClientsModule,
        UsersModule,
        PartnershipsModule,
        AgenciesModule,
        ThemesModule,
        CasesModule,
        PanelModule,
        ContributionsModule,
        FamilyContactsModule,
        ChronologiesModule,
        DocumentsModule,
        ActionsModule,
        QaModule,
        PublicationModule,
        PublicPageModule,
        MilestonesModule,
        NotificationsModule,
        ReportsModule,
        HealthModule,
      ],
    };
  }
}
