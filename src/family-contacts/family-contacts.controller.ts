import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CaseRoute } from '../access/access.decorators.js';
import { CaseIdPipe } from '../access/case-id.pipe.js';
import { CurrentActor } from '../access/current-actor.decorator.js';
import type { Actor } from '../access/roles.js';
import { PageQuery, type Page } from '../common/pagination.js';
import { CreateFamilyContactRequest, FamilyContactPage, FamilyContactView } from './family-contact.dto.js';
import { FamilyContactsService } from './family-contacts.service.js';

@ApiTags('family contacts')
@ApiBearerAuth()
@Controller('cases/:id/family-contacts')
export class FamilyContactsController {
  constructor(private readonly contacts: FamilyContactsService) {}

  @Get()
  @CaseRoute('family.read')
  @ApiOkResponse({ type: FamilyContactPage })
  list(@CurrentActor() actor: Actor, @Param('id', CaseIdPipe) id: string, @Query() query: PageQuery): Promise<Page<FamilyContactView>> {
    return this.contacts.list(actor, id, query);
  }

  @Post()
  @CaseRoute('family.manage')
  @ApiOperation({ summary: 'Record a contact with the family (SDP admin or the review chair).' })
  @ApiCreatedResponse({ type: FamilyContactView })
  record(@CurrentActor() actor: Actor, @Param('id', CaseIdPipe) id: string, @Body() body: CreateFamilyContactRequest): Promise<FamilyContactView> {
    return this.contacts.record(actor, id, body);
  }
}
