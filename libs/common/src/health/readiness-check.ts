import type { HealthIndicatorResult } from '@nestjs/terminus';

/**
 * An app-specific readiness check, added to `/health/ready` by providing an array of them under
 * {@link READINESS_CHECKS} in a global module (the ingestor's "last good run" check).
 */
export interface ReadinessCheck {
  check(): HealthIndicatorResult | Promise<HealthIndicatorResult>;
}

export const READINESS_CHECKS = Symbol('READINESS_CHECKS');
