import { Module } from '@nestjs/common';
import { NotificationsModule } from '../notifications/notifications.module.js';
import { ActionsController } from './actions.controller.js';
import { ActionsService } from './actions.service.js';
import { actionsFeature } from './actions.manifest.js';

/** The action plan of a review: recommendations, their actions and their progress. */
@Module({ imports: [NotificationsModule], controllers: [ActionsController], providers: [ActionsService, ...(actionsFeature.plugins ?? [])] })
export class ActionsModule {}
