import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  IsBoolean,
  IsEmail,
  IsIn,
  IsOptional,
  IsString,
  MaxLength,
  MinLength,
} from 'class-validator';
import { ROLES, type Role } from '../access/roles.js';
import { PageQuery } from '../common/pagination.js';
import { IsOmittable, NameText, OptionalUuid, SingleLineText } from '../common/validators.js';
import { MIN_PASSWORD_LENGTH } from '../config/app-config.js';
import type { User } from './user.entity.js';
import { trimmed } from '../common/transforms.js';

export class UserView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() email: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: ROLES }) role: Role;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) partnershipId: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) agencyId: string | null;
  @ApiProperty() active: boolean;
  @ApiProperty({
    nullable: true,
    type: String,
    format: 'date-time',
    description: 'When sign-in locked after many wrong passwords in a row; null when not locked. The owner’s unlock link, or setting active: true, lifts it',
  })
  lockedAt: string | null;
}

export function toUserView(user: User): UserView {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    partnershipId: user.partnershipId,
    agencyId: user.agencyId,
    active: user.active,
    lockedAt: user.lockedAt?.toISOString() ?? null,
  };
}


export class CreateUserRequest {
  @ApiProperty({ example: 'chair.exeter@example.org' })
  @Transform(trimmed)
  @IsString()
  @SingleLineText()
  @MaxLength(320)
  @IsEmail({}, { message: 'email must be an e-mail address' })
  email: string;

  @ApiProperty({ example: 'Alex Example' })
  @NameText()
  name: string;

  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES)
  role: Role;

  @ApiProperty({ format: 'password', minLength: MIN_PASSWORD_LENGTH, maxLength: 256 })
  @IsString()
  @MinLength(MIN_PASSWORD_LENGTH)
  @MaxLength(256)
  password: string;

  @OptionalUuid({ description: 'Required for csp_chair' })
  partnershipId?: string;

  @OptionalUuid({ description: 'Required for agency_lead' })
  agencyId?: string;
}

export class UpdateUserRequest {
  @ApiPropertyOptional()
  @IsOmittable()
  @NameText()
  name?: string;

  @ApiPropertyOptional({ enum: ROLES })
  @IsOmittable()
  @IsIn(ROLES)
  role?: Role;

  @OptionalUuid({ nullable: true })
  partnershipId?: string | null;

  @OptionalUuid({ nullable: true })
  agencyId?: string | null;

  @ApiPropertyOptional({ description: 'false deactivates: the user’s sessions end at once. true reactivates and unlocks.' })
  @IsOmittable()
  @IsBoolean()
  active?: boolean;

  @ApiPropertyOptional({ format: 'password', minLength: MIN_PASSWORD_LENGTH, maxLength: 256, description: 'Sets a new password and ends every session' })
  @IsOmittable()
  @IsString()
  @MinLength(MIN_PASSWORD_LENGTH)
  @MaxLength(256)
  password?: string;
}

export class UserQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ROLES }) @IsOptional() @IsIn(ROLES) role?: Role;
  @OptionalUuid() partnershipId?: string;
  @OptionalUuid() agencyId?: string;
  @ApiPropertyOptional()
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  active?: boolean;
}

export class UserPage {
  @ApiProperty({ type: [UserView] }) items: UserView[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}
