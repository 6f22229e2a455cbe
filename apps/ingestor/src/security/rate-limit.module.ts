import { quoteflowConfig, type QuoteflowConfig } from '@app/common';
import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { minutes, ThrottlerModule } from '@nestjs/throttler';
import { RateLimitGuard } from './rate-limit.guard';

/** The HTTP API's rate limit, on every route of the app that imports it (see {@link RateLimitGuard}). */
@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      inject: [quoteflowConfig.KEY],
      useFactory: ({ http }: QuoteflowConfig) => ({
        // 0 disables the guard; the throttler itself needs a positive limit
        throttlers: [{ ttl: minutes(1), limit: Math.max(1, http.rateLimitPerMinute) }],
        // one budget per client over all routes (the library's default key is per route and client)
        generateKey: (_context, tracker, name) => `${name}:${tracker}`,
        errorMessage: `rate limit exceeded: at most ${http.rateLimitPerMinute} requests a minute per client; retry after the seconds in Retry-After`,
      }),
    }),
  ],
  providers: [{ provide: APP_GUARD, useClass: RateLimitGuard }],
})
export class RateLimitModule {}
