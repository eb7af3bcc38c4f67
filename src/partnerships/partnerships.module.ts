import { Module } from '@nestjs/common';
import { PartnershipsController } from './partnerships.controller.js';
import { PartnershipsService } from './partnerships.service.js';

@Module({ controllers: [PartnershipsController], providers: [PartnershipsService], exports: [PartnershipsService] })
export class PartnershipsModule {}
