import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { AwsHealthIndicators } from './aws-health.indicators';
import { HealthController } from './health.controller';

/** Liveness + readiness endpoint shared by both apps. */
@Module({
  imports: [TerminusModule],
  controllers: [HealthController],
  providers: [AwsHealthIndicators],
})
export class HealthModule {}
