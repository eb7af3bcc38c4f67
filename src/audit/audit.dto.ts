import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { SingleLineText } from '../common/validators.js';
import { PageQuery } from '../common/pagination.js';
import type { AuditEvent } from './audit-event.entity.js';

const DATE_OR_UTC_INSTANT = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?Z)?$/;

export class AuditQuery extends PageQuery {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() caseId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() actorId?: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'Events done by this REST client (its id from GET /api/clients)' })
  @IsOptional()
  @IsUUID()
  clientId?: string;
  @ApiPropertyOptional({ example: 'auth.login.failed' }) @IsOptional() @IsString() @SingleLineText() @MaxLength(100) action?: string;
  @ApiPropertyOptional({ description: 'Inclusive lower bound: a date (YYYY-MM-DD) or an instant', example: '2026-01-01' })
  @IsOptional()
  @MaxLength(30)
  @IsISO8601({ strict: true })
  @Matches(DATE_OR_UTC_INSTANT, { message: 'from must be a date (YYYY-MM-DD) or a UTC instant ending in Z' })
  from?: string;
  @ApiPropertyOptional({ description: 'Exclusive upper bound: a date (YYYY-MM-DD) or an instant' })
  @IsOptional()
  @MaxLength(30)
  @IsISO8601({ strict: true })
  @Matches(DATE_OR_UTC_INSTANT, { message: 'to must be a date (YYYY-MM-DD) or a UTC instant ending in Z' })
  to?: string;
}

export class AuditEventView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() occurredAt: string;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) actorId: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'The role of the person, or api_client for a REST client' }) actorRole: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'uuid', description: 'The REST client the event was done by, if not a person' }) clientId: string | null;
  @ApiProperty() action: string;
  @ApiProperty({ nullable: true, type: String }) entityType: string | null;
  @ApiProperty({ nullable: true, type: String }) entityId: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) caseId: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) partnershipId: string | null;
  @ApiProperty({ nullable: true, type: String }) requestId: string | null;
  @ApiProperty({ nullable: true, type: String }) ip: string | null;
  @ApiProperty({ nullable: true, type: 'object', additionalProperties: true }) changes: Record<string, unknown> | null;
  @ApiProperty({ nullable: true, type: 'object', additionalProperties: true }) details: Record<string, unknown> | null;
}

export function toAuditEventView(event: AuditEvent): AuditEventView {
  return {
    id: event.id,
    occurredAt: event.occurredAt.toISOString(),
    actorId: event.actorId,
    actorRole: event.actorRole,
    clientId: event.clientId,
    action: event.action,
    entityType: event.entityType,
    entityId: event.entityId,
    caseId: event.caseId,
    partnershipId: event.partnershipId,
    requestId: event.requestId,
    ip: event.ip,
    changes: event.changes,
    details: event.details,
  };
}

export class AuditPage {
  @ApiProperty({ type: [AuditEventView] }) items: AuditEventView[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}
