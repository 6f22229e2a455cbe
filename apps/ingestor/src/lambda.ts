import 'reflect-metadata';
import { CloudWatchMetrics, onceUntilFailure, floorToMinute } from '@app/common';
import serverlessExpress from '@codegenie/serverless-express';
import { NestFactory } from '@nestjs/core';
import type { RequestListener } from 'node:http';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context, EventBridgeEvent } from 'aws-lambda';
import { configureIngestorApp } from './app.setup';
import { IngestCoordinator, isRunRefused } from './ingest/ingest-coordinator';
import { IngestRunFailedError, type RunSummary } from './ingest/ingest.service';
import { loadIngestorConfig } from './ingestor.config';
import { IngestorModule } from './ingestor.module';

// One Nest app per Lambda container, shared by both exports; it never listens on a port:
// serverless-express hands each API Gateway event to its Express instance.
const ingestor = onceUntilFailure(async () => {
  const config = await loadIngestorConfig();
  const app = configureIngestorApp(await NestFactory.create(IngestorModule.forLambda(config), { abortOnError: false, bufferLogs: true }));
  await app.init();
  // each run flushes its own figures; a timer in a frozen container would not
  app.get(CloudWatchMetrics).stopTimer();
  const proxy = serverlessExpress<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>({
    app: app.getHttpAdapter().getInstance() as RequestListener,
    // its default follows NODE_ENV=development and would put a stack trace in a 500 body
    respondWithErrors: false,
  });
  return { app, proxy };
});

/** API Gateway HTTP API (payload v2) handler: the same routes and answers as the container's HTTP API. */
export async function handler(event: APIGatewayProxyEventV2, context: Context): Promise<APIGatewayProxyStructuredResultV2> {
  const { proxy } = await ingestor();
  return (await proxy(event, context, () => undefined)) as APIGatewayProxyStructuredResultV2;
}

/**
 * EventBridge schedule handler: one ingest run, the same path as the container's cron. A run that
 * failed as a whole fails the invocation, so it shows in the function's error metric.
 */
export async function ingest(event: EventBridgeEvent<'Scheduled Event', unknown>): Promise<RunSummary | { skipped: string }> {
  const { app } = await ingestor();
  // the minute the rule fired for: a duplicate delivery of the same event runs nothing twice
  const slot = floorToMinute(Date.parse(event.time ?? new Date().toISOString()));
  try {
    const summary = await app.get(IngestCoordinator).run('cron', slot);
    if (summary.outcome === 'failed') throw new IngestRunFailedError(summary);
    return summary;
  } catch (err) {
    if (isRunRefused(err)) return { skipped: err.message };
    throw err;
  }
}
