import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AnyRole, Roles } from '../access/access.decorators.js';
import type { Page } from '../common/pagination.js';
import { AgenciesService } from './agencies.service.js';
import { AgencyPage, AgencyQuery, AgencyView, CreateAgencyRequest, UpdateAgencyRequest } from './agency.dto.js';
import { UuidParam } from '../common/uuid-param.js';

@ApiTags('administration')
@ApiBearerAuth()
@Controller('agencies')
export class AgenciesController {
  constructor(private readonly agencies: AgenciesService) {}

  @Get()
  @AnyRole()
  @ApiOkResponse({ type: AgencyPage })
  list(@Query() query: AgencyQuery): Promise<Page<AgencyView>> {
    return this.agencies.list(query);
  }

  @Get(':id')
  @AnyRole()
  @ApiOkResponse({ type: AgencyView })
  get(@Param('id', UuidParam) id: string): Promise<AgencyView> {
    return this.agencies.get(id);
  }

  @Post()
  @Roles('sdp_admin')
  @ApiCreatedResponse({ type: AgencyView })
  create(@Body() body: CreateAgencyRequest): Promise<AgencyView> {
    return this.agencies.create(body);
  }

  @Patch(':id')
  @Roles('sdp_admin')
  @ApiOkResponse({ type: AgencyView })
  update(@Param('id', UuidParam) id: string, @Body() body: UpdateAgencyRequest): Promise<AgencyView> {
    return this.agencies.update(id, body);
  }
}
