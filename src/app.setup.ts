import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import helmet from 'helmet';
import type { Logger } from 'pino';
import { refuseDeepBodies, refusePrototypeKeys } from './common/body-depth.js';
import { answerClientErrorsAsProblems } from './common/client-errors.js';
import { httpLogging, PinoLoggerService, requestContext } from './common/logging.js';
import { noStore } from './common/no-store.js';
import { ProblemFilter } from './common/problem.filter.js';
import { validationPipe } from './common/validation.js';
import type { AppConfig } from './config/app-config.js';

type OpenApiDocument = ReturnType<typeof SwaggerModule.createDocument>;

/** Every operation's errors are RFC 9457 problems: say so once, for every operation, in the document. */
function describeProblems(document: OpenApiDocument): void {
  document.components ??= {};
  document.components.schemas ??= {};
  document.components.schemas.Problem = {
    type: 'object',
    required: ['type', 'title', 'status', 'detail'],
    properties: {
      type: { type: 'string', example: 'urn:dhr:problem:step-refused' },
      title: { type: 'string', example: 'Conflict' },
      status: { type: 'integer', example: 409 },
      detail: { type: 'string' },
      instance: { type: 'string' },
      errors: {
        type: 'array',
        description: '400: the fields at fault; 422: the rows and columns at fault',
        items: { type: 'object', additionalProperties: true },
      },
      unmet: { type: 'array', description: '409: the unmet preconditions, as codes', items: { type: 'string' } },
    },
  };
  const problem = { description: 'An RFC 9457 problem', content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } };
  for (const item of Object.values(document.paths)) {
    for (const operation of [item.get, item.post, item.put, item.patch, item.delete]) {
      if (operation) operation.responses = { ...operation.responses, default: problem };
    }
  }
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
  app.use(
    helmet({
      contentSecurityPolicy: { directives: { upgradeInsecureRequests: config.nodeEnv === 'production' ? [] : null } },
    }),
  );
  app.use(httpLogging(logger));
  app.use(requestContext);
  if (config.corsOrigins.length > 0) app.enableCors({ origin: config.corsOrigins, exposedHeaders: ['ETag', 'X-Request-Id'] });
  app.useBodyParser('json', { limit: config.jsonBodyLimit });
  app.use(refuseDeepBodies);
  app.use(refusePrototypeKeys);
  app.setGlobalPrefix('api');
  app.useGlobalPipes(validationPipe());
  app.useGlobalFilters(new ProblemFilter());
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Domestic Homicide Review case management')
      .setDescription(
        'Case-management API for Domestic Homicide Reviews run by the Safer Devon Partnership. ' +
          'Errors are RFC 9457 application/problem+json.',
      )
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  describeProblems(document);
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });
}
