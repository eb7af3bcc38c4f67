import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { IncomingMessage } from 'node:http';
import type { Logger } from 'pino';
import { CLIENT_CREDENTIALS_SCHEME } from './access/access.decorators.js';
import { CLIENT_SCOPE_DESCRIPTIONS } from './access/client-principal.js';
import { refuseDeepBodies, refusePrototypeKeys } from './common/body-depth.js';
import { answerClientErrorsAsProblems } from './common/client-errors.js';
import { httpLogging, PinoLoggerService, requestContext } from './common/logging.js';
import { noStore } from './common/no-store.js';
import { securityHeaders, webPageSecurity } from './common/security-headers.js';
import { WEB_PAGE_PATH, WEB_PAGE_PATHS, WEB_PAGE_STYLESHEET_PATH } from './public-page/web-page.js';
import { unmetCodes } from './cases/unmet-codes.js';
import { FEATURE_MANIFESTS } from './common/feature-manifest.js';
import { completeOpenApi, describeValidatedFields } from './common/openapi.js';
import { ProblemFilter } from './common/problem.filter.js';
import { validationPipe } from './common/validation.js';
import type { AppConfig } from './config/app-config.js';

/** Where the Swagger UI is served, and the OpenAPI document beside it (`-json`). */
export const API_DOCS = 'api/docs';

const TOKEN_PATH = /^\/api\/auth\/token\/?(\?|$)/i;
const FORM = /^application\/x-www-form-urlencoded\s*(;|$)/i;

/** A form-encoded request to the token endpoint (routes match regardless of case and a trailing slash). */
function isFormTokenRequest(req: IncomingMessage): boolean {
  return TOKEN_PATH.test(req.url ?? '') && FORM.test(req.headers['content-type'] ?? '');
}

/**
 * Everything about the HTTP surface that is not a route: shared by the
 * server and the end-to-end tests so that tests exercise the real thing.
 */
export function configureApp(app: NestExpressApplication, config: AppConfig, logger: Logger): void {
  app.useLogger(new PinoLoggerService(logger));
  answerClientErrorsAsProblems(app.getHttpServer());
  app.set('trust proxy', config.trustProxy);
  app.disable('x-powered-by');
  app.use(noStore);
  // Outside production the API is often reached over plain http on localhost, where upgrading every
  // request to https would break the API docs' scripts.
  // helmet's headers, computed once (they are the same for every answer) and replayed per request;
  // the public page's HTML has a stricter policy of its own (no script at all).
  app.use(
    securityHeaders(
      { contentSecurityPolicy: { directives: { upgradeInsecureRequests: config.nodeEnv === 'production' ? [] : null } } },
      { paths: WEB_PAGE_PATHS, options: webPageSecurity(config.nodeEnv === 'production') },
    ),
  );
  app.use(httpLogging(logger));
  app.use(requestContext);
  if (config.corsOrigins.length > 0) app.enableCors({ origin: config.corsOrigins, exposedHeaders: ['ETag', 'X-Request-Id'] });
  app.useBodyParser('json', { limit: config.jsonBodyLimit });
  // The token endpoint alone also takes a form (RFC 6749 §4.4.2), as every OAuth client sends it; no other route does.
  app.useBodyParser('urlencoded', { extended: false, limit: '4kb', parameterLimit: 20, type: isFormTokenRequest });
  app.use(refuseDeepBodies);
  app.use(refusePrototypeKeys);
  // Everything is under /api but the public page as a web page, which people read at /reviews.
  app.setGlobalPrefix('api', { exclude: [WEB_PAGE_PATH, WEB_PAGE_STYLESHEET_PATH] });
  app.useGlobalPipes(validationPipe());
  app.useGlobalFilters(new ProblemFilter());
  describeValidatedFields();
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Domestic Homicide Review case management')
      .setDescription(
        'Case-management API for Domestic Homicide Reviews run by the Safer Devon Partnership. ' +
          'Errors are RFC 9457 application/problem+json.',
      )
      .setVersion('1')
      .addBearerAuth({
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'JWT',
        description: 'A short-lived access token (HS256 JWS) from POST /api/auth/login, handled as RFC8725 advises: one algorithm only, never "none".',
      })
      .addOAuth2(
        {
          type: 'oauth2',
          description:
            'REST clients (service accounts registered by an SDP administrator) obtain a bearer token with the client-credentials grant. ' +
            'A route open to clients lists the scopes that open it; every other route is closed to them. ' +
            'The access token is a short-lived HS256 JWS, handled as RFC8725 advises: one algorithm only, never "none".',
          flows: { clientCredentials: { tokenUrl: '/api/auth/token', scopes: CLIENT_SCOPE_DESCRIPTIONS } },
        },
        CLIENT_CREDENTIALS_SCHEME,
      )
      .build(),
  );
  completeOpenApi(document, Math.max(config.documentMaxBytes, config.chronologyMaxBytes), unmetCodes(app.get(FEATURE_MANIFESTS)));
  SwaggerModule.setup(API_DOCS, app, document, { jsonDocumentUrl: `${API_DOCS}-json` });
}
