/**
 * `npm run bench`: every benchmark, one JSON object per figure on its own line (CONTRACT.md),
 * then the same figures as a table for people.
 */
import type { Figure } from './figure';
import { lambdaBench } from './lambda.bench';

const BENCHES: Record<string, () => Promise<Figure[]>> = { lambda: lambdaBench };

async function main(): Promise<void> {
  const figures: Figure[] = [];
  for (const [name, bench] of Object.entries(BENCHES)) {
    process.stderr.write(`bench ${name}...\n`);
    for (const figure of await bench()) {
      console.log(JSON.stringify(figure));
      figures.push(figure);
    }
  }
  console.log('');
  console.log(table(figures));
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
