/**
 * `npm run bench`: every benchmark, one JSON object per figure on its own line (CONTRACT.md),
 * then the same figures as a table for people, and `bench/results.json` with the machine they were
 * taken on. `npm run bench -- processor query` runs only those (and leaves results.json alone).
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';
import { resolve } from 'node:path';
import type { Figure } from './figure';
import { ingestBench } from './ingest.bench';
import { lagBench } from './lag.bench';
import { lambdaBench } from './lambda.bench';
import { processorBench } from './processor.bench';
import { queryBench } from './query.bench';
import { root } from './support/bench-env';

const BENCHES: Record<string, () => Promise<Figure[]>> = {
  processor: () => processorBench(),
  ingest: () => ingestBench(),
  query: () => queryBench(),
  lag: () => lagBench(),
  lambda: () => lambdaBench(),
  export: () => import('./export.bench').then((bench) => bench.exportBench()),
};

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((name) => !(name in BENCHES));
  if (unknown.length) throw new Error(`unknown bench ${unknown.join(', ')}; known: ${Object.keys(BENCHES).join(', ')}`);
  const machine = machineInfo();
  process.stderr.write(`machine: ${JSON.stringify(machine)}\n`);
  const started = Date.now();
  const figures: Figure[] = [];
  for (const [name, bench] of Object.entries(BENCHES)) {
    if (wanted.length && !wanted.includes(name)) continue;
    process.stderr.write(`bench ${name}...\n`);
    for (const figure of await bench()) {
      console.log(JSON.stringify(figure));
      figures.push(figure);
    }
  }
  const seconds = Math.round((Date.now() - started) / 1000);
  console.log('');
  console.log(table(figures));
  console.log(`\n${seconds} s on ${machine.cores} cores (${machine.cpu}), Node ${machine.node}, load average ${machine.loadAverage.join(' ')} at the start`);
  if (!wanted.length) {
    const results = { takenAt: new Date().toISOString(), commit: gitCommit(), seconds, machine, loadAverageAtEnd: loadavg().map((l) => Math.round(l * 100) / 100), figures };
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
  const rows = [['bench', 'value', 'unit', 'baseline', 'ratio'], ...figures.map((f) => [f.bench, f.value, f.unit, f.baseline ?? '-', f.ratio ?? '-'].map(String))];
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((cell, i) => (i === 0 || i === 2 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ')).join('\n');
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
