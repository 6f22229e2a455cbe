/**
 * `npm run soak -- --minutes M --instruments N --tick S --seed K`: the fault soak (see soak.ts).
 * Prints a table for people on stderr and one JSON summary line on stdout; exits 1 when anything
 * was lost, doubled, invented or altered, 2 when the soak itself could not run.
 */
import { parseSoakArgs } from './soak-args';
import { runSoak, summaryTable } from './soak';

async function main(): Promise<number> {
  const options = parseSoakArgs(process.argv.slice(2));
  const summary = await runSoak(options);
  process.stderr.write(`\n${summaryTable(summary)}\n\n`);
  process.stdout.write(`${JSON.stringify(summary)}\n`);
  return summary.ok ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(2);
  },
);
