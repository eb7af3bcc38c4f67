import { Body, Controller, Header, Headers, HttpCode, Post, Res, UseGuards } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConsumes,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../access/access.decorators.js';
import { SignInRateLimitGuard } from '../auth/sign-in-rate-limit.guard.js';
import { AccessTokenView, TokenRequestBody } from './client.dto.js';
import { ClientTokensService, OAuthProblem } from './client-tokens.service.js';
import { triedBasic } from './token-request.js';

/** A refusal of the token endpoint: an RFC 9457 problem with the OAuth `error` and `error_description` (common/openapi.ts). */
const OAUTH_PROBLEM = { 'application/problem+json': { schema: { $ref: '#/components/schemas/OAuthProblem' } } };
/** A 400 is an OAuth refusal, or a body the server refused before reading it as a token request (a format character, say): a plain problem. */
const OAUTH_OR_PLAIN_PROBLEM = {
  'application/problem+json': { schema: { anyOf: [{ $ref: '#/components/schemas/OAuthProblem' }, { $ref: '#/components/schemas/Problem' }] } },
};

/** The token endpoint of the OAuth 2.0 client-credentials grant, for REST clients. */
@ApiTags('auth')
@Controller('auth')
export class ClientTokenController {
  constructor(private readonly tokens: ClientTokensService) {}

  @Post('token')
  @Public()
  @UseGuards(SignInRateLimitGuard)
  @HttpCode(200)
  @Header('Pragma', 'no-cache')
  @ApiConsumes('application/x-www-form-urlencoded', 'application/json')
  @ApiBody({ type: TokenRequestBody })
  @ApiOperation({
    summary:
      'OAuth 2.0 client-credentials grant (RFC 6749 §4.4): a REST client swaps its client_id and client_secret (in the body, or as HTTP Basic) for a short-lived bearer token carrying its scopes.',
  })
  @ApiOkResponse({ type: AccessTokenView })
  @ApiBadRequestResponse({ description: 'error: invalid_request, unsupported_grant_type or invalid_scope', content: OAUTH_OR_PLAIN_PROBLEM })
  @ApiUnauthorizedResponse({
    description: 'error: invalid_client (unknown client, wrong secret, revoked or expired)',
    content: OAUTH_PROBLEM,
    headers: { 'WWW-Authenticate': { description: 'Basic realm="dhr-api", charset="UTF-8", to a client that tried HTTP Basic', schema: { type: 'string', maxLength: 200 } } },
  })
  @ApiTooManyRequestsResponse({ description: 'Too many attempts from this address' })
  async token(
    @Body() body: Record<string, unknown>,
    @Headers('authorization') authorization: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<AccessTokenView> {
    try {
      return await this.tokens.issue(body, authorization);
    } catch (error) {
      // RFC 6749 §5.2: a client that tried HTTP Basic is told which scheme to use again.
      if (error instanceof OAuthProblem && error.error === 'invalid_client' && triedBasic(authorization)) {
        res.setHeader('WWW-Authenticate', 'Basic realm="dhr-api", charset="UTF-8"');
      }
      throw error;
    }
  }
}
