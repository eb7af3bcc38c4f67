import { Module } from '@nestjs/common';
import { CaseThemesService } from './case-themes.service.js';
import { CaseThemesController, ThemesController } from './themes.controller.js';
import { ThemesService } from './themes.service.js';

@Module({ controllers: [ThemesController, CaseThemesController], providers: [ThemesService, CaseThemesService], exports: [ThemesService] })
export class ThemesModule {}
