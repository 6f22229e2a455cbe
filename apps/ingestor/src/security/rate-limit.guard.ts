import { InjectConfig, type QuoteflowConfig } from '@app/common';
import { type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { InjectThrottlerOptions, InjectThrottlerStorage, ThrottlerGuard, type ThrottlerModuleOptions, type ThrottlerStorage } from '@nestjs/throttler';
import type { Request } from 'express';
import { AdminKey } from './admin-key.guard';

/**
 * Probes: a load balancer, Kubernetes or Prometheus polls them from one address, and must never
 * read a 429 as "down". Matched by path because their controllers (libs/common) serve both apps.
 */
const PROBE_PATHS = ['/health', '/metrics'];

/**
 * `RATE_LIMIT_PER_MINUTE` requests per client address and minute over all routes together
 * (`@nestjs/throttler`, in-process counters), except probes and requests carrying the admin key.
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  private readonly adminKey: AdminKey;
  private readonly disabled: boolean;

  constructor(
    @InjectThrottlerOptions() options: ThrottlerModuleOptions,
    @InjectThrottlerStorage() storage: ThrottlerStorage,
    reflector: Reflector,
    @InjectConfig() config: QuoteflowConfig,
  ) {
    super(options, storage, reflector);
    this.adminKey = new AdminKey(config.http.adminApiKey);
    this.disabled = config.http.rateLimitPerMinute === 0;
  }

  protected override async shouldSkip(context: ExecutionContext): Promise<boolean> {
    if (this.disabled || context.getType() !== 'http') return true;
    const req = context.switchToHttp().getRequest<Request>();
    return PROBE_PATHS.some((path) => req.path === path || req.path.startsWith(`${path}/`)) || this.adminKey.carriedBy(req);
  }
}
