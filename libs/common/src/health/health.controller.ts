import { Controller, Get, Inject, Optional } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, type HealthIndicatorFunction } from '@nestjs/terminus';
import { AwsHealthIndicators } from './aws-health.indicators';
import { READINESS_CHECKS, type ReadinessCheck } from './readiness-check';

/**
 * Both apps: `GET /health/live` (the process answers: restart it if not), `GET /health/ready` (the
 * queue and the table answer, plus the app's own checks: send it traffic only if so) and
 * `GET /health` (both). 200 when all are up, 503 with the details otherwise.
 */
@ApiTags('pipeline')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly aws: AwsHealthIndicators,
    @Optional() @Inject(READINESS_CHECKS) private readonly appChecks: ReadinessCheck[] = [],
  ) {}

  @Get()
  @HealthCheck()
  @ApiOperation({ summary: 'Liveness and readiness together' })
  check() {
    return this.health.check([this.processUp, ...this.readiness()]);
  }

  @Get('live')
  @HealthCheck()
  @ApiOperation({ summary: 'Liveness: the process answers' })
  live() {
    return this.health.check([this.processUp]);
  }

  @Get('ready')
  @HealthCheck()
  @ApiOperation({ summary: 'Readiness: SQS queue and DynamoDB table reachable, and the app-specific checks (ingestor: last good run recent enough)' })
  ready() {
    return this.health.check(this.readiness());
  }

  private readonly processUp: HealthIndicatorFunction = () => ({ process: { status: 'up', uptimeSeconds: Math.round(process.uptime()) } });

  private readiness(): HealthIndicatorFunction[] {
    return [() => this.aws.queue(), () => this.aws.table(), ...this.appChecks.map((c) => () => c.check())];
  }
}
