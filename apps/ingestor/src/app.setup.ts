import { HttpErrorsFilter } from '@app/common';
import { type INestApplication, ValidationPipe } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';

/** HTTP set-up shared by `main.ts`, the Lambda handler and the e2e tests. */
export function configureIngestorApp(app: INestApplication): INestApplication {
  app.useGlobalPipes(
    new ValidationPipe({ transform: true, whitelist: true, forbidNonWhitelisted: true, stopAtFirstError: false }),
  );
  app.useGlobalFilters(new HttpErrorsFilter(app.get(HttpAdapterHost).httpAdapter));
  // exit 0 after a clean close on SIGTERM/SIGINT (by default Nest re-raises the signal: exit 143)
  app.enableShutdownHooks(['SIGTERM', 'SIGINT'], { useProcessExit: true });
  return app;
}
