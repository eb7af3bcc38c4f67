import { Module } from '@nestjs/common';
import { CasesModule } from '../cases/cases.module.js';
import { HomeOfficeCorrespondenceController } from './home-office-correspondence.controller.js';
import { HomeOfficeCorrespondenceService } from './home-office-correspondence.service.js';

@Module({ imports: [CasesModule], controllers: [HomeOfficeCorrespondenceController], providers: [HomeOfficeCorrespondenceService] })
export class HomeOfficeCorrespondenceModule {}
