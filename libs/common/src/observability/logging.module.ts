import { type DynamicModule, type INestApplicationContext, Module } from '@nestjs/common';
import { Logger, LoggerModule } from 'nestjs-pino';
import type { QuoteflowConfig } from '../config/config';
import { quoteflowConfig } from '../config/config.module';
import { pinoParams } from './logger-options';

/** Structured logs for one app (nestjs-pino), configured by `LOG_LEVEL` / `LOG_FORMAT`. */
@Module({})
export class LoggingModule {
  static forApp(app: string): DynamicModule {
    return {
      module: LoggingModule,
      imports: [
        LoggerModule.forRootAsync({
          inject: [quoteflowConfig.KEY],
          useFactory: (config: QuoteflowConfig) => pinoParams(app, config),
        }),
      ],
    };
  }
}

/**
 * Routes Nest's own `Logger` (every `new Logger(Context)` in the code) into pino, and writes what was
 * buffered while the app was being created (`bufferLogs: true`).
 */
export function useStructuredLogs<T extends INestApplicationContext>(app: T): T {
  app.useLogger(app.get(Logger));
  app.flushLogs();
  return app;
}
