import { HttpErrorsFilter, quoteflowConfig, useStructuredLogs, type QuoteflowConfig } from '@app/common';
import { type INestApplication, ValidationPipe } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { configureHttpSecurity } from './security/http-security';

/** HTTP set-up shared by `main.ts`, the Lambda handler and the e2e tests. */
export function configureIngestorApp(app: INestApplication): INestApplication {
  useStructuredLogs(app);
  // every entry point builds the app on @nestjs/platform-express
  configureHttpSecurity(app as NestExpressApplication, app.get<QuoteflowConfig>(quoteflowConfig.KEY));
  app.useGlobalPipes(
    new ValidationPipe({ transform: true, whitelist: true, forbidNonWhitelisted: true, stopAtFirstError: false }),
  );
  app.useGlobalFilters(new HttpErrorsFilter(app.get(HttpAdapterHost).httpAdapter));
  // exit 0 after a clean close on SIGTERM/SIGINT (by default Nest re-raises the signal: exit 143)
  app.enableShutdownHooks(['SIGTERM', 'SIGINT'], { useProcessExit: true });
  const openApi = new DocumentBuilder()
    .setTitle('quoteflow')
    .setDescription('Stored market quotes: latest, history, candles, live stream; ingest runs and pipeline status.')
    .setVersion('1')
    .addApiKey({ type: 'apiKey', in: 'header', name: 'x-api-key' }, 'admin')
    .build();
  // the UI's assets come from swagger-ui-dist in node_modules, not from a CDN
  SwaggerModule.setup('docs', app, SwaggerModule.createDocument(app, openApi), { jsonDocumentUrl: 'docs/openapi.json' });
  return app;
}
