import { HttpErrorsFilter, securityHeaders, useStructuredLogs } from '@app/common';
import type { INestApplication } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';

/** Set-up shared by `main.ts` and the e2e tests: pino logs, the JSON error shape, clean shutdown. */
export function configureProcessorApp(app: INestApplication): INestApplication {
  useStructuredLogs(app);
  app.use(securityHeaders()); // helmet's headers on /health and /metrics too
  app.useGlobalFilters(new HttpErrorsFilter(app.get(HttpAdapterHost).httpAdapter));
  // SIGTERM/SIGINT: stop receiving, finish the batch in flight, close, then exit 0 (without
  // useProcessExit Nest re-raises the signal once closed, and the process ends with 143)
  app.enableShutdownHooks(['SIGTERM', 'SIGINT'], { useProcessExit: true });
  return app;
}
