import { securityHeaders, type QuoteflowConfig } from '@app/common';
import type { NestExpressApplication } from '@nestjs/platform-express';

/** No route takes a body larger than a few bytes; anything bigger is refused with 413 before it is read whole. */
export const BODY_LIMIT = '16kb';

/**
 * The HTTP hardening in front of every route: which proxy may name the client (`TRUST_PROXY`, read
 * by the rate limit), helmet's headers, CORS only for `CORS_ORIGINS`, and body size limits. Must
 * run before any route is registered (Swagger UI included) to cover it.
 */
export function configureHttpSecurity(app: NestExpressApplication, { http }: QuoteflowConfig): void {
  app.set('trust proxy', http.trustProxy);
  app.use(securityHeaders());
  if (http.corsOrigins.length) {
    app.enableCors({
      origin: http.corsOrigins,
      methods: ['GET', 'HEAD', 'POST'],
      allowedHeaders: ['Content-Type', 'Accept', 'x-api-key', 'x-request-id', 'If-None-Match', 'Last-Event-ID'],
      exposedHeaders: ['ETag', 'Retry-After', 'x-request-id', 'X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset'],
      maxAge: 600,
    });
  }
  // registered here, Nest's own parsers (100 kB limit) are not added at init
  app.useBodyParser('json', { limit: BODY_LIMIT });
  app.useBodyParser('urlencoded', { limit: BODY_LIMIT, extended: true });
}
