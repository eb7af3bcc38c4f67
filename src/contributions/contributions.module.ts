import { Module } from '@nestjs/common';
import { ContributionsController } from './contributions.controller.js';
import { ContributionsService } from './contributions.service.js';
import { contributionsFeature } from './contributions.manifest.js';

@Module({ controllers: [ContributionsController], providers: [ContributionsService, ...(contributionsFeature.plugins ?? [])] })
export class ContributionsModule {}
