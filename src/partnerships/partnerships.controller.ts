import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AnyRole } from '../access/access.decorators.js';
import type { Page } from '../common/pagination.js';
import { PartnershipPage, PartnershipView } from './partnership.dto.js';
import { PartnershipsService } from './partnerships.service.js';

@ApiTags('administration')
@ApiBearerAuth()
@Controller('partnerships')
export class PartnershipsController {
  constructor(private readonly partnerships: PartnershipsService) {}

  @Get()
  @AnyRole()
  @ApiOkResponse({ type: PartnershipPage })
  list(): Promise<Page<PartnershipView>> {
    return this.partnerships.list();
  }
}
