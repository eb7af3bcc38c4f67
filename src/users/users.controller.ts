import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../access/access.decorators.js';
import type { Page } from '../common/pagination.js';
import { CreateUserRequest, UpdateUserRequest, UserPage, UserQuery, UserView } from './user.dto.js';
import { UsersService } from './users.service.js';
import { UuidParam } from '../common/uuid-param.js';

@ApiTags('administration')
@ApiBearerAuth()
@Controller('users')
@Roles('sdp_admin')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @ApiOkResponse({ type: UserPage })
  list(@Query() query: UserQuery): Promise<Page<UserView>> {
    return this.users.list(query);
  }

  @Post()
  @ApiOperation({ summary: 'Create a user. csp_chair needs partnershipId; agency_lead needs agencyId.' })
  @ApiCreatedResponse({ type: UserView })
  create(@Body() body: CreateUserRequest): Promise<UserView> {
    return this.users.create(body);
  }

  @Get(':id')
  @ApiOkResponse({ type: UserView })
  get(@Param('id', UuidParam) id: string): Promise<UserView> {
    return this.users.view(id);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Edit a user. {active:false} deactivates: their tokens stop working at once.' })
  @ApiOkResponse({ type: UserView })
  update(@Param('id', UuidParam) id: string, @Body() body: UpdateUserRequest): Promise<UserView> {
    return this.users.update(id, body);
  }
}
