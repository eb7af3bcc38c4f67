import { ApiProperty } from '@nestjs/swagger';
import { IsEmail, IsString, MaxLength, MinLength } from 'class-validator';
import { SingleLineText } from '../common/validators.js';
import { UserView } from '../users/user.dto.js';

export class LoginRequest {
  @ApiProperty({ example: 'admin@example.org' })
  @IsString()
  @SingleLineText()
  @MaxLength(320)
  @IsEmail({}, { message: 'email must be an e-mail address' })
  email: string;

  @ApiProperty({ format: 'password', example: 'correct horse battery staple' })
  @IsString()
  @MinLength(1)
  @MaxLength(256)
  password: string;
}

export class UnlockRequest {
  @ApiProperty({ format: 'password', description: 'The token from the unlock link’s query (`token=`)' })
  @IsString()
  @SingleLineText()
  @MinLength(1)
  @MaxLength(200)
  token: string;
}

export class UnlockLinkRequest {
  @ApiProperty({ example: 'chair.exeter@example.org' })
  @IsString()
  @SingleLineText()
  @MaxLength(320)
  @IsEmail({}, { message: 'email must be an e-mail address' })
  email: string;
}

/** The answer to asking for an unlock link: the same whatever the e-mail. */
export class UnlockLinkAsked {
  @ApiProperty({ example: 'If an active account with this e-mail is locked, its owner is e-mailed a new unlock link.' })
  detail: string;
}

export class RefreshRequest {
  @ApiProperty({ format: 'password' }) @IsString() @MinLength(1) @MaxLength(200) refreshToken: string;
}

export class TokenPair {
  @ApiProperty() accessToken: string;
  @ApiProperty() refreshToken: string;
  @ApiProperty({ description: 'Seconds until the access token expires' }) expiresIn: number;
  @ApiProperty({ type: UserView }) user: UserView;
}
