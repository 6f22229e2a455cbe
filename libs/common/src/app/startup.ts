import { Logger, type LoggerService } from '@nestjs/common';
import type { QuoteflowConfig } from '../config/quoteflow-config';
import { describeConfig } from '../config/secrets';
import { ConfigError } from '../errors';
import type { HeldWarnings } from '../observability/process-warnings';
import { CalendarDataError } from '../calendar/calendar-data';

/**
 * Ends a process whose start-up failed. A configuration problem is printed as the plain list of
 * variables to fix, a bad exchange calendar file as the file and its fields at fault (no stack:
 * they are input to correct, not a bug).
 */
export function exitOnStartupError(app: string, err: unknown): never {
  const config = findConfigError(err);
  if (config) {
    process.stderr.write(`${app} cannot start. ${config.message}\n`);
  } else {
    process.stderr.write(`${app} failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  }
  process.exit(1);
}

function findConfigError(err: unknown): ConfigError | CalendarDataError | null {
  for (let e = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof ConfigError || e instanceof CalendarDataError) return e;
  }
  return null;
}

/**
 * The first lines of a started app, both apps alike: the effective configuration (secrets masked),
 * then the Node warnings held since the process began (see `holdProcessWarnings`).
 */
export function logStartup(logger: LoggerService, config: QuoteflowConfig, warnings: HeldWarnings): void {
  warnings.logTo(new Logger('Node'));
  logger.log({ config: describeConfig(config) }, 'effective configuration (secrets masked)');
}
