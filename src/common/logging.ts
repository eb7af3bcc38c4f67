import type { LoggerService } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pino, type DestinationStream, type Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import type { AppConfig } from '../config/app-config.js';
import { currentRequestContext, runInRequestContext } from './request-context.js';
import { storedPath } from './stored-path.js';

const CLIENT_REQUEST_ID = /^[A-Za-z0-9._-]{1,100}$/;

/** A caller's X-Request-Id is kept when it is well-formed, so requests can be traced across systems. */
function requestId(req: IncomingMessage, res: ServerResponse): string {
  const given = req.headers['x-request-id'];
  const id = typeof given === 'string' && CLIENT_REQUEST_ID.test(given) ? given : randomUUID();
  res.setHeader('X-Request-Id', id);
  return id;
}

/**
 * Structured JSON logs. Every line written during a request carries its
 * request id. Bodies and query strings are never logged (a search box can
 * hold a name), and credentials are cut out of the headers.
 */
export function createLogger(config: AppConfig, destination?: DestinationStream): Logger {
  return pino(
    {
    level: config.logLevel,
    base: { service: 'dhr-backend' },
    mixin: () => {
      const { requestId: id } = currentRequestContext();
      return id ? { requestId: id } : {};
    },
    redact: { paths: ['req.headers.authorization', 'req.headers.cookie', '*.password', '*.refreshToken', '*.clientSecret', '*.client_secret', '*.access_token'], censor: '[redacted]' },
    },
    destination,
  );
}

export function httpLogging(logger: Logger) {
  return pinoHttp({
    logger,
    genReqId: requestId,
    serializers: {
      req: (req: { method: string; url: string; remoteAddress?: string }) => ({
        method: req.method,
        path: storedPath(req.url),
        remoteAddress: req.remoteAddress,
      }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
    customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
  });
}

/** Opens the request context that log lines and audit events read the request id and IP from. */
export function requestContext(req: Request, _res: Response, next: NextFunction): void {
  const id = (req as Request & { id?: unknown }).id;
  runInRequestContext({ requestId: id ? String(id) : null, ip: req.ip ?? null, actor: null }, next);
}

type Level = 'info' | 'error' | 'warn' | 'debug' | 'trace' | 'fatal';

/**
 * Nest's own account of its start: each module loaded, each controller and
 * each route mapped, one line apiece. At the default level the start says
 * what an operator needs in a line or two (src/main.ts); these lines are
 * kept for LOG_LEVEL=debug (docs/architecture.md, "Start-up").
 */
const FRAMEWORK_START_UP = new Set(['NestFactory', 'InstanceLoader', 'RoutesResolver', 'RouterExplorer', 'NestApplication']);

/**
 * Nest's own log calls (start-up, errors, services' Logger instances) go
 * through the same pino logger. Nest passes the logger's context last; a
 * structured first argument becomes fields, a string after it the message.
 */
export class PinoLoggerService implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, ...params: unknown[]): void {
    const context = params[params.length - 1];
    this.write(typeof context === 'string' && FRAMEWORK_START_UP.has(context) ? 'debug' : 'info', message, params);
  }
  error(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params);
  }
  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }
  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }
  verbose(message: unknown, ...params: unknown[]): void {
    this.write('trace', message, params);
  }
  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }

  private write(level: Level, message: unknown, params: unknown[]): void {
    const strings = params.filter((p): p is string => typeof p === 'string');
    const context = strings.length > 0 ? strings[strings.length - 1] : undefined;
    if (typeof message === 'object' && message !== null) {
      this.logger[level]({ context, ...message }, strings.length > 1 ? strings[0] : undefined);
    } else {
      this.logger[level]({ context }, String(message));
    }
  }
}
