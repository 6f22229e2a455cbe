/**
 * `npm run bench`: every benchmark, one JSON object per figure on its own line (CONTRACT.md),
 * then the same figures as a table for people, and `bench/results.json` with the machine they were
 * taken on and the spread of the repeated figures.
 *
 * - `npm run bench -- processor query` (or `--only processor,query`) runs only those benches and
 *   leaves results.json alone; `npx tsx bench/run.ts cost` does the same without rebuilding.
 * - `--rounds N` repeats each repeated figure N times instead of its default (3); `--rounds 1`
 *   for a quick check that a bench works.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';
import { resolve } from 'node:path';
import { costBench, COST_BENCH } from './cost.bench';
import { contractLine, type Figure } from './figure';
import { ingestBench, INGEST_BENCH } from './ingest.bench';
import { lagBench, LAG_BENCH } from './lag.bench';
import { lambdaBench } from './lambda.bench';
import { processorBench, PROCESSOR_BENCH } from './processor.bench';
import { queryBench, QUERY_BENCH } from './query.bench';
import { root } from './support/bench-env';
import { stateBench, STATE_BENCH } from './state.bench';

const BENCHES: Record<string, (rounds?: number) => Promise<Figure[]>> = {
  processor: (rounds) => processorBench({ ...PROCESSOR_BENCH, rounds: rounds ?? PROCESSOR_BENCH.rounds }),
  cost: (rounds) => costBench({ ...COST_BENCH, rounds: rounds ?? COST_BENCH.rounds }),
  ingest: (rounds) => ingestBench({ ...INGEST_BENCH, runs: rounds ?? INGEST_BENCH.runs }),
  query: (rounds) => queryBench({ ...QUERY_BENCH, rounds: rounds ?? QUERY_BENCH.rounds }),
  lag: (rounds) => lagBench({ ...LAG_BENCH, rounds: rounds ?? LAG_BENCH.rounds }),
  lambda: () => lambdaBench(),
  state: (rounds) => stateBench({ ...STATE_BENCH, runs: rounds ?? STATE_BENCH.runs }),
  export: () => import('./export.bench').then((bench) => bench.exportBench()),
  list: (rounds) => import('./list.bench').then((bench) => bench.listBench({ ...bench.LIST_BENCH, rounds: rounds ?? bench.LIST_BENCH.rounds })),
  candles: (rounds) => import('./candles.bench').then((bench) => bench.candlesBench({ ...bench.CANDLES_BENCH, rounds: rounds ?? bench.CANDLES_BENCH.rounds })),
};

interface Args {
  wanted: string[];
  rounds?: number;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { wanted: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--only') args.wanted.push(...(argv[++i] ?? '').split(',').filter(Boolean));
    else if (arg.startsWith('--only=')) args.wanted.push(...arg.slice('--only='.length).split(',').filter(Boolean));
    else if (arg === '--rounds' || arg.startsWith('--rounds=')) {
      const value = Number(arg === '--rounds' ? argv[++i] : arg.slice('--rounds='.length));
      if (!Number.isInteger(value) || value < 1) throw new Error('--rounds takes a whole number of at least 1');
      args.rounds = value;
    } else args.wanted.push(arg);
  }
  const unknown = args.wanted.filter((name) => !(name in BENCHES));
  if (unknown.length) throw new Error(`unknown bench ${unknown.join(', ')}; known: ${Object.keys(BENCHES).join(', ')}`);
  return args;
}

async function main(): Promise<void> {
  const { wanted, rounds } = parseArgs(process.argv.slice(2));
  const machine = machineInfo();
  process.stderr.write(`machine: ${JSON.stringify(machine)}\n`);
  const started = Date.now();
  const figures: Figure[] = [];
  const benchSeconds: Record<string, number> = {};
  for (const [name, bench] of Object.entries(BENCHES)) {
    if (wanted.length && !wanted.includes(name)) continue;
    process.stderr.write(`bench ${name}...\n`);
    const benchStarted = Date.now();
    for (const figure of await bench(rounds)) {
      console.log(contractLine(figure));
      figures.push(figure);
    }
    benchSeconds[name] = Math.round((Date.now() - benchStarted) / 1000);
  }
  const seconds = Math.round((Date.now() - started) / 1000);
  console.log('');
  console.log(table(figures));
  console.log(`\n${seconds} s (${Object.entries(benchSeconds).map(([n, s]) => `${n} ${s} s`).join(', ')}) on ${machine.cores} cores (${machine.cpu}), Node ${machine.node}, load average ${machine.loadAverage.join(' ')} at the start`);
  if (!wanted.length && rounds === undefined) {
    const results = { takenAt: new Date().toISOString(), commit: gitCommit(), seconds, benchSeconds, machine, loadAverageAtEnd: loadavg().map((l) => Math.round(l * 100) / 100), figures };
    writeFileSync(resolve(root, 'bench/results.json'), `${JSON.stringify(results, null, 2)}\n`);
  }
}

function machineInfo() {
  return {
    cores: availableParallelism(),
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    // the machine may be shared: what else ran shows here
    loadAverage: loadavg().map((l) => Math.round(l * 100) / 100),
  };
}

function gitCommit(): string | null {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
  } catch {
    return null;
  }
}

function table(figures: Figure[]): string {
  const spread = (f: Figure) => (f.spread?.ratio ? `${f.spread.ratio[0]}–${f.spread.ratio[1]} (${f.spread.rounds})` : '-');
  const rows = [
    ['bench', 'value', 'unit', 'baseline', 'ratio', 'ratio min–max (rounds)'],
    ...figures.map((f) => [f.bench, f.value, f.unit, f.baseline ?? '-', f.ratio ?? '-', spread(f)].map(String)),
  ];
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((cell, i) => (i === 0 || i === 2 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ')).join('\n');
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
