/**
 * `npm run backfill -- [--symbols A,B] --from <ISO> [--to <ISO>]` runs one backfill pass now, the
 * same pass as `POST /admin/backfill` (same checks of the arguments, same budget, watermark and
 * queue), against whatever the environment points at (`AWS_ENDPOINT_URL*`, `TABLE_NAME`,
 * `QUEUE_NAME`, `MARKET_DATA_PROVIDER`, `RAPIDAPI_KEY`, or real AWS), and prints its summary as
 * JSON. The bars go onto the queue: a processor stores them. Exit codes: 0 done, 1 failed, 2 bad arguments.
 */
import 'reflect-metadata';
import { ConfigError } from '@app/common';
import { NestFactory } from '@nestjs/core';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { parseArgs } from 'node:util';
import { BackfillBody } from './backfill.dto';
import { BackfillOnlyModule } from './backfill.module';
import { BackfillService } from './backfill.service';
import { loadIngestorConfig } from '../ingestor.config';
import { toInstant } from '../quotes/quotes.service';

const USAGE = 'usage: npm run backfill -- [--symbols A,B] --from <ISO date or instant> [--to <ISO date or instant>]';

/** The arguments as the admin route's body, checked by the same rules; the problems, one per line, when they fail. */
export function parseBackfillArgs(argv: string[]): BackfillBody | string {
  let values;
  try {
    ({ values } = parseArgs({ args: argv, options: { symbols: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' } } }));
  } catch (err) {
    return (err as Error).message;
  }
  const body = plainToInstance(BackfillBody, values);
  const problems = validateSync(body, { whitelist: true, forbidNonWhitelisted: true }).flatMap((e) => Object.values(e.constraints ?? {}));
  if (!problems.length && body.to !== undefined && toInstant(body.to, 'end') <= toInstant(body.from, 'start')) problems.push('to must be later than from');
  return problems.length ? problems.map((p) => `--${p}`).join('\n') : body;
}

async function main(argv: string[]): Promise<number> {
  const body = parseBackfillArgs(argv);
  if (typeof body === 'string') {
    console.error(`${body}\n${USAGE}`);
    return 2;
  }
  const config = await loadIngestorConfig();
  // the backfill module alone: no ingest, no schedule, no HTTP listener
  const app = await NestFactory.createApplicationContext(BackfillOnlyModule.forConfig(config), { logger: ['error', 'warn'] });
  try {
    const summary = await app.get(BackfillService).run({
      trigger: 'cli',
      symbols: body.symbols,
      from: new Date(toInstant(body.from, 'start')),
      to: body.to === undefined ? undefined : new Date(toInstant(body.to, 'end')),
    });
    console.log(JSON.stringify(summary, null, 2));
    return summary.instruments.some((i) => i.outcome === 'failed' || i.outcome === 'not_stored') ? 1 : 0;
  } finally {
    await app.close();
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(err instanceof ConfigError ? err.message : `backfill failed: ${(err as Error).message}`);
      process.exit(1);
    },
  );
}
