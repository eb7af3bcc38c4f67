import { Body, Controller, Get, HttpCode, Post, UseGuards } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { AnyRole, Public } from '../access/access.decorators.js';
import { CurrentActor } from '../access/current-actor.decorator.js';
import type { Actor } from '../access/roles.js';
import { UserView } from '../users/user.dto.js';
import { UsersService } from '../users/users.service.js';
import { LoginRequest, RefreshRequest, TokenPair } from './auth.dto.js';
import { AuthService } from './auth.service.js';
import { SignInRateLimitGuard } from './sign-in-rate-limit.guard.js';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly users: UsersService,
  ) {}

  @Post('login')
  @Public()
  @UseGuards(SignInRateLimitGuard)
  @HttpCode(200)
  @ApiOperation({
    summary: 'Sign in. Five wrong passwords from one address lock the account for that address for a while; 50 in an hour from anywhere lock it for everyone.',
  })
  @ApiOkResponse({ type: TokenPair })
  @ApiUnauthorizedResponse({ description: 'Wrong e-mail or password, or the account is locked or inactive' })
  @ApiTooManyRequestsResponse({ description: 'Too many attempts from this address' })
  login(@Body() body: LoginRequest): Promise<TokenPair> {
    return this.auth.login(body.email, body.password);
  }

  @Post('refresh')
  @Public()
  @UseGuards(SignInRateLimitGuard)
  @HttpCode(200)
  @ApiOperation({ summary: 'Swap a refresh token for a new pair. A spent token revokes its whole session.' })
  @ApiOkResponse({ type: TokenPair })
  @ApiTooManyRequestsResponse({ description: 'Too many attempts from this address' })
  refresh(@Body() body: RefreshRequest): Promise<TokenPair> {
    return this.auth.refresh(body.refreshToken);
  }

  @Post('logout')
  @AnyRole()
  @HttpCode(204)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'End the session: its access and refresh tokens stop working at once.' })
  @ApiNoContentResponse()
  async logout(@CurrentActor() actor: Actor, @Body() body: RefreshRequest): Promise<void> {
    await this.auth.logout(actor, body.refreshToken);
  }

  @Get('me')
  @AnyRole()
  @ApiBearerAuth()
  @ApiOkResponse({ type: UserView })
  me(@CurrentActor() actor: Actor): Promise<UserView> {
    return this.users.view(actor.userId);
  }
}
