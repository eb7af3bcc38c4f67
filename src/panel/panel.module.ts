import { Module } from '@nestjs/common';
import { PanelController } from './panel.controller.js';
import { PanelService } from './panel.service.js';
import { panelFeature } from './panel.manifest.js';

@Module({ controllers: [PanelController], providers: [PanelService, ...(panelFeature.plugins ?? [])] })
export class PanelModule {}
