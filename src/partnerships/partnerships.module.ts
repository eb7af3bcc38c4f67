import { Module } from '@nestjs/common';
import { PartnershipsController } from './partnerships.controller.js';

@Module({ controllers: [PartnershipsController] })
export class PartnershipsModule {}
