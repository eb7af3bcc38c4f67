import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayNotEmpty, ArrayUnique, IsArray, IsIn, IsUUID } from 'class-validator';
import { CLIENT_SCOPES, type ClientScope } from '../access/client-principal.js';
import { PageQuery } from '../common/pagination.js';
import { IsCalendarDate, IsOmittable, NameText } from '../common/validators.js';
import type { ApiClient } from './api-client.entity.js';

export class CreateClientRequest {
  @ApiProperty({ example: 'Board dashboard', description: 'What the client is: the system, not a person' })
  @NameText()
  name: string;

  @ApiProperty({ enum: CLIENT_SCOPES, isArray: true, example: ['reports:read'] })
  @IsArray()
  @ArrayNotEmpty({ message: 'scopes must name at least one scope' })
  @ArrayUnique({ message: 'scopes must not name a scope twice' })
  @ArrayMaxSize(CLIENT_SCOPES.length)
  @IsIn(CLIENT_SCOPES, { each: true, message: `each scope must be one of ${CLIENT_SCOPES.join(', ')}` })
  scopes: ClientScope[];

  @ApiPropertyOptional({ format: 'uuid', description: 'The one partnership the client may read; every partnership when left out' })
  @IsOmittable()
  @IsUUID()
  partnershipId?: string;

  @ApiPropertyOptional({ example: '2027-03-31', description: 'The last day the client may be used (London); no expiry when left out' })
  @IsOmittable()
  @IsCalendarDate()
  expiresOn?: string;
}

export const CLIENT_STATUSES = ['active', 'expired', 'revoked'] as const;
export type ClientStatus = (typeof CLIENT_STATUSES)[number];

export class ClientView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'dhr_client_5f0c2b7e9a1d4c3b8e6f7a21', description: 'What the client signs in with, as client_id' }) clientId: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: CLIENT_SCOPES, isArray: true }) scopes: ClientScope[];
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'The one partnership the client may read, or null for all' })
  partnershipId: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'The last day the client may be used' }) expiresOn: string | null;
  @ApiProperty({ enum: CLIENT_STATUSES }) status: ClientStatus;
  @ApiProperty({ format: 'uuid', description: 'The SDP administrator who registered the client: its owner' }) createdBy: string;
  @ApiProperty() createdAt: string;
  @ApiProperty({ nullable: true, type: String }) secretRotatedAt: string | null;
  @ApiProperty({ nullable: true, type: String }) revokedAt: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'When the client last obtained or used a token (to the minute)' }) lastUsedAt: string | null;
}

export class NewClientView extends ClientView {
  @ApiProperty({ description: 'Shown here once: only its hash is kept' }) clientSecret: string;
}

export class RotatedSecretView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() clientId: string;
  @ApiProperty({ description: 'The new secret, shown here once. The old one, and every token it obtained, stop working at once.' }) clientSecret: string;
}

export class ClientPage {
  @ApiProperty({ type: [ClientView] }) items: ClientView[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

export class ClientQuery extends PageQuery {}

export function clientStatus(client: Pick<ApiClient, 'revokedAt' | 'expiresOn'>, today: string): ClientStatus {
  if (client.revokedAt) return 'revoked';
  return client.expiresOn !== null && client.expiresOn < today ? 'expired' : 'active';
}

export function toClientView(client: ApiClient, scopes: ClientScope[], today: string): ClientView {
  return {
    id: client.id,
    clientId: client.clientId,
    name: client.name,
    scopes,
    partnershipId: client.partnershipId,
    expiresOn: client.expiresOn,
    status: clientStatus(client, today),
    createdBy: client.createdBy,
    createdAt: client.createdAt.toISOString(),
    secretRotatedAt: client.secretRotatedAt?.toISOString() ?? null,
    revokedAt: client.revokedAt?.toISOString() ?? null,
    lastUsedAt: client.lastUsedAt?.toISOString() ?? null,
  };
}

/** The answer of the token endpoint (RFC 6749 §5.1). */
export class AccessTokenView {
  @ApiProperty() access_token: string;
  @ApiProperty({ enum: ['Bearer'] }) token_type: 'Bearer';
  @ApiProperty({ description: 'Seconds until the token expires' }) expires_in: number;
  @ApiProperty({ example: 'reports:read milestones:read', description: 'The scopes the token carries, space-separated' }) scope: string;
}

/** The token request, as the OpenAPI document describes it (the endpoint reads it itself, RFC 6749 §4.4.2). */
export class TokenRequestBody {
  @ApiProperty({ enum: ['client_credentials'] }) grant_type: string;
  @ApiPropertyOptional({ description: 'The clientId; or send it with HTTP Basic', maxLength: 200, pattern: '^\\S+$' }) client_id?: string;
  @ApiPropertyOptional({ description: 'The client secret; or send it with HTTP Basic', maxLength: 200, pattern: '^\\S+$' }) client_secret?: string;
  @ApiPropertyOptional({
    example: 'reports:read',
    description: 'Space-separated scopes, a subset of the client’s; all of them when left out',
    maxLength: 200,
    pattern: '^ *[a-z:]+( +[a-z:]+)* *$',
  })
  scope?: string;
}
