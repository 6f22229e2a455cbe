import { Module } from '@nestjs/common';
import { RateLimitModule } from './rate-limit.module';

/** The HTTP API's protections: the per-client rate limit on every route (the admin key guard is used by the routes that need it). */
@Module({ imports: [RateLimitModule] })
export class SecurityModule {}
