import { Module } from '@nestjs/common';
import { PanelController } from './panel.controller.js';
import { PanelFacts } from './panel.plugins.js';
import { PanelService } from './panel.service.js';

@Module({ controllers: [PanelController], providers: [PanelService, PanelFacts] })
export class PanelModule {}
