import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, TypeOrmHealthIndicator, type HealthCheckResult } from '@nestjs/terminus';
import { PublicProbe } from '../access/access.decorators.js';

/** A check's indicator in the answer: the database, up. */
const UP = {
  type: 'object',
  additionalProperties: false,
  required: ['status'],
  properties: { status: { type: 'string', enum: ['up'] }, responseTime: { type: 'number', minimum: 0, description: 'Milliseconds the ping took' } },
};
const INDICATORS = { type: 'object', additionalProperties: false, required: ['database'], properties: { database: UP } };

/** What terminus answers when every check passes. */
const HEALTHY = {
  type: 'object',
  additionalProperties: false,
  required: ['status', 'info', 'error', 'details'],
  properties: {
    status: { type: 'string', enum: ['ok'] },
    info: INDICATORS,
    error: { type: 'object', additionalProperties: false, properties: {}, description: 'Empty: no check failed' },
    details: INDICATORS,
  },
};

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
  ) {}

  /** Liveness and database readiness; 503 when the database does not answer. */
  @Get()
  @PublicProbe()
  @HealthCheck()
  @ApiOkResponse({ description: '{ status: "ok", info: { database: { status: "up" } } }', schema: HEALTHY })
  @ApiServiceUnavailableResponse({ description: 'The database does not answer' })
  check(): Promise<HealthCheckResult> {
    return this.health.check([() => this.database.pingCheck('database', { timeout: 2000 })]);
  }
}
