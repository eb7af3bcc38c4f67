import { Module } from '@nestjs/common';
import { CaseLinksController } from './case-links.controller.js';
import { CaseLinksService } from './case-links.service.js';

@Module({ controllers: [CaseLinksController], providers: [CaseLinksService] })
export class CaseLinksModule {}
