import { Controller, type DynamicModule, Get, Global, Header, Inject, Injectable, Logger, Module } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import { QueueDepths } from '../aws/queue-depths';
import type { QuoteflowConfig } from '../config/config';
import { InjectConfig, quoteflowConfig } from '../config/config.module';
import { CloudWatchMetrics } from './cloudwatch-metrics';

/** `GET /metrics` of both apps, in the Prometheus text format. */
@ApiExcludeController()
@Controller('metrics')
export class MetricsController {
  constructor(private readonly registry: Registry) {}

  @Get()
  @Header('Cache-Control', 'no-store')
  @Header('Content-Type', Registry.PROMETHEUS_CONTENT_TYPE)
  async metrics(): Promise<string> {
    return this.registry.metrics();
  }
}

/**
 * `quoteflow_queue_messages{queue,state}`: the depth of the quotes queue and its DLQ, read from SQS
 * at scrape time through {@link QueueDepths} (two GetQueueAttributes calls per scrape; the URLs are
 * looked up once for the whole app). A failed read leaves the series out of that scrape rather than
 * failing the whole page.
 */
@Injectable()
export class QueueDepthMetrics {
  private readonly logger = new Logger(QueueDepthMetrics.name);

  constructor(registry: Registry, @Inject(QueueDepths) depths: QueueDepths, @InjectConfig() config: QuoteflowConfig) {
    const logger = this.logger;
    const queues = [
      { queue: 'quotes', name: config.queue.name, read: () => depths.queue() },
      { queue: 'dlq', name: config.queue.dlqName, read: () => depths.deadLetters() },
    ];
    new Gauge({
      name: 'quoteflow_queue_messages',
      help: 'Messages in the quotes queue (queue="quotes") and its dead-letter queue (queue="dlq"), by state',
      labelNames: ['queue', 'state'] as const,
      registers: [registry],
      async collect() {
        this.reset();
        await Promise.all(
          queues.map(async ({ queue, name, read }) => {
            try {
              const depth = await read();
              this.set({ queue, state: 'visible' }, depth.visible);
              this.set({ queue, state: 'in_flight' }, depth.inFlight);
            } catch (err) {
              logger.warn(`queue depth of ${name} unavailable for /metrics: ${(err as Error).name}`);
            }
          }),
        );
      },
    });
  }
}

/**
 * Prometheus metrics of one app (prom-client). Each app builds its own `Registry` rather than using
 * prom-client's global one, so two apps in one process (the e2e tests) keep separate counts; the
 * `app` label tells their series apart on a shared Prometheus. {@link CloudWatchMetrics} carries the
 * same figures to CloudWatch where `CLOUDWATCH_METRICS_NAMESPACE` is set.
 */
@Global()
@Module({})
export class MetricsModule {
  static forApp(app: string): DynamicModule {
    return {
      module: MetricsModule,
      controllers: [MetricsController],
      providers: [
        {
          provide: Registry,
          useFactory: () => {
            const registry = new Registry();
            registry.setDefaultLabels({ app });
            collectDefaultMetrics({ register: registry });
            return registry;
          },
        },
        QueueDepthMetrics,
        {
          provide: CloudWatchMetrics,
          inject: [quoteflowConfig.KEY],
          useFactory: (config: QuoteflowConfig) => new CloudWatchMetrics(config.metrics.cloudWatchNamespace, app),
        },
      ],
      exports: [Registry, CloudWatchMetrics],
    };
  }
}
