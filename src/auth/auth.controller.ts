import { Body, Controller, Get, HttpCode, Post, Req, Res, UseGuards } from '@nestjs/common';
import type { Request, Response } from 'express';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { AnyRole, Public } from '../access/access.decorators.js';
import { AnonymousDenials } from '../access/anonymous-denials.js';
import { CurrentActor } from '../access/current-actor.decorator.js';
import { retryLater } from '../access/rate-limits.js';
import type { Actor } from '../access/roles.js';
import { UserView } from '../users/user.dto.js';
import { UsersService } from '../users/users.service.js';
import { LoginRequest, RefreshRequest, TokenPair, UnlockLinkAsked, UnlockLinkRequest, UnlockRequest } from './auth.dto.js';
import { AuthService } from './auth.service.js';
import { SignInRateLimitGuard } from './sign-in-rate-limit.guard.js';
import { UnlockLinks } from './unlock-links.service.js';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly users: UsersService,
    private readonly unlockLinks: UnlockLinks,
    private readonly denials: AnonymousDenials,
  ) {}

  @Post('login')
  @Public()
  @UseGuards(SignInRateLimitGuard)
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Sign in. By default, five wrong passwords from one address lock the account for that address for a while; ten refusals in a ' +
      'row with one e-mail make each further attempt wait (429), except from an address the account signed in from lately; 100 wrong ' +
      'passwords in a row lock it until its owner uses the unlock link e-mailed to them.',
  })
  @ApiOkResponse({ type: TokenPair })
  @ApiUnauthorizedResponse({ description: 'Wrong e-mail or password, or the account is locked or inactive: one answer for all' })
  @ApiTooManyRequestsResponse({ description: 'Too many attempts from this address, or with this e-mail: try again after Retry-After seconds' })
  async login(@Body() body: LoginRequest, @Req() request: Request, @Res({ passthrough: true }) response: Response): Promise<TokenPair> {
    const outcome = await this.auth.login(body.email, body.password);
    if ('waitSeconds' in outcome) {
      await this.denials.record(request, 'sign_in_slowed_down');
      throw retryLater(response, outcome.waitSeconds, 'Too many refused sign-ins with this e-mail address.');
    }
    return outcome;
  }

  @Post('unlock/request')
  @Public()
  @UseGuards(SignInRateLimitGuard)
  @HttpCode(202)
  @ApiOperation({
    summary:
      'Ask for a new unlock link. If an active account has this e-mail and is locked, its owner is e-mailed a new link (at most one ' +
      'every five minutes); the answer is the same whether or not it exists.',
  })
  @ApiAcceptedResponse({ type: UnlockLinkAsked, description: 'Asked; nothing says whether an e-mail was sent' })
  @ApiTooManyRequestsResponse({ description: 'Too many requests from this address' })
  async requestUnlockLink(@Body() body: UnlockLinkRequest): Promise<UnlockLinkAsked> {
    await this.unlockLinks.request(body.email);
    return { detail: 'If an active account with this e-mail is locked, its owner is e-mailed a new unlock link.' };
  }

  @Post('unlock')
  @Public()
  @UseGuards(SignInRateLimitGuard)
  @HttpCode(204)
  @ApiOperation({ summary: 'Unlock an account with the token from its unlock link. The link works once, until it expires.' })
  @ApiNoContentResponse({ description: 'Unlocked: its owner signs in with their password as usual' })
  @ApiBadRequestResponse({ description: 'The token is unknown, spent or expired: one answer for each' })
  @ApiTooManyRequestsResponse({ description: 'Too many requests from this address' })
  async unlock(@Body() body: UnlockRequest): Promise<void> {
    await this.unlockLinks.unlock(body.token);
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
