import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../access/access.decorators.js';
import { CurrentActor } from '../access/current-actor.decorator.js';
import type { Actor } from '../access/roles.js';
import type { Page } from '../common/pagination.js';
import { ClientPage, ClientQuery, ClientView, CreateClientRequest, NewClientView, RotatedSecretView } from './client.dto.js';
import { ClientsService } from './clients.service.js';
import { UuidParam } from '../common/uuid-param.js';

/** REST clients (service accounts), managed by the SDP administrators. */
@ApiTags('clients')
@ApiBearerAuth()
@Controller('clients')
@Roles('sdp_admin')
export class ClientsController {
  constructor(private readonly clients: ClientsService) {}

  @Post()
  @ApiOperation({
    summary:
      'Register a REST client with its scopes, optionally one partnership and an expiry. The answer holds the client secret: it is shown this once, and only its hash is kept.',
  })
  @ApiCreatedResponse({ type: NewClientView })
  create(@CurrentActor() actor: Actor, @Body() body: CreateClientRequest): Promise<NewClientView> {
    return this.clients.create(actor, body);
  }

  @Get()
  @ApiOperation({ summary: 'Every REST client, in the order registered: never a secret.' })
  @ApiOkResponse({ type: ClientPage })
  list(@Query() query: ClientQuery): Promise<Page<ClientView>> {
    return this.clients.list(query);
  }

  @Post(':id/rotate')
  @HttpCode(200)
  @ApiOperation({ summary: 'A new client secret, shown this once. The old secret and every token it obtained stop working at once.' })
  @ApiOkResponse({ type: RotatedSecretView })
  rotate(@Param('id', UuidParam) id: string): Promise<RotatedSecretView> {
    return this.clients.rotate(id);
  }

  @Post(':id/revoke')
  @HttpCode(200)
  @ApiOperation({ summary: 'Revoke the client for good: its tokens are refused from the next request. Revoking it again changes nothing.' })
  @ApiOkResponse({ type: ClientView })
  revoke(@CurrentActor() actor: Actor, @Param('id', UuidParam) id: string): Promise<ClientView> {
    return this.clients.revoke(actor, id);
  }
}
