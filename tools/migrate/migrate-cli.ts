/**
 * `npm run migrate [-- --dry-run] [--remove-previous]`: brings the table the environment names
 * (`TABLE_NAME`, `AWS_ENDPOINT_URL_DYNAMODB` or real AWS) to the current layout (ADR 0006, see
 * tools/migrate/migrate.ts and docs/upgrading.md). Safe to run again, and to stop and restart: it
 * goes on where it stopped. Exit codes: 0 done, 1 failed, 2 bad arguments.
 */
import { createDocumentClient, parseConfig } from '@app/common';
import { Presets, SingleBar } from 'cli-progress';
import { migrate } from './migrate';

const USAGE = 'usage: npm run migrate [-- --dry-run] [--remove-previous]';

async function main(argv: string[]): Promise<number> {
  const unknown = argv.filter((a) => !['--dry-run', '--remove-previous', '--help'].includes(a));
  if (unknown.length || argv.includes('--help')) {
    console.error(unknown.length ? `unknown argument ${unknown.join(' ')}\n${USAGE}` : USAGE);
    return unknown.length ? 2 : 0;
  }
  const dryRun = argv.includes('--dry-run');
  const config = parseConfig(process.env);
  const dynamo = createDocumentClient(config.aws);
  const bar = new SingleBar({ stream: process.stderr, format: 'migrate |{bar}| {percentage}% | {value}/{total} items scanned', hideCursor: true }, Presets.shades_classic);
  bar.start(1, 0);
  try {
    const summary = await migrate(dynamo, config.table.name, {
      dryRun,
      removePrevious: argv.includes('--remove-previous'),
      onProgress: (scanned, total) => {
        bar.setTotal(total);
        bar.update(scanned);
      },
    });
    bar.stop();
    console.error(
      `${dryRun ? 'dry run: ' : ''}${summary.previousLatest} instrument(s) of the previous layout, ${summary.registered} registered now, ${summary.removed} previous latest item(s) removed${summary.complete ? '' : ' (not complete: run again)'}`,
    );
    console.log(JSON.stringify(summary));
    return 0;
  } finally {
    bar.stop();
    dynamo.destroy();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`migrate failed: ${(err as Error).message}`);
    process.exit(1);
  },
);
