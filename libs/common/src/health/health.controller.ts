import { Controller, Get } from '@nestjs/common';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import { AwsHealthIndicators } from './aws-health.indicators';

/** `GET /health` of both apps: 200 when the queue and the table answer, 503 with details otherwise. */
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly aws: AwsHealthIndicators,
  ) {}

  @Get()
  @HealthCheck()
  check() {
    return this.health.check([() => this.aws.queue(), () => this.aws.table()]);
  }
}
