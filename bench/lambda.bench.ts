import { parseConfig } from '@app/common';
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { LAMBDA_BUNDLES } from '../tools/build/lambda-bundles';
import { startEmulators } from '../tools/local/emulators';
import { emulatorEnv } from '../tools/local/local-env';
import { provision } from '../tools/local/provision';
import { runNodeScript } from '../tools/node-script';
import { lowerIsBetter, median, round, type Figure } from './figure';

const root = resolve(__dirname, '..');
const COLD_STARTS = 7;

/**
 * The Lambda bundles: their size, and the processor's cold start (loading the file and the first
 * invocation, which builds the Nest context and resolves the DLQ) in a fresh Node process each
 * time, against the embedded emulators. Baseline: the same handler from the unbundled tsc output
 * with node_modules, as it would run without esbuild.
 */
export async function lambdaBench(): Promise<Figure[]> {
  for (const { outfile } of Object.values(LAMBDA_BUNDLES)) {
    if (!existsSync(resolve(root, outfile))) throw new Error(`${outfile} is missing: run npm run build first`);
  }
  const figures = Object.entries(LAMBDA_BUNDLES).map(([name, { outfile }]) =>
    lowerIsBetter(`lambda-${name}-bundle-size`, round(statSync(resolve(root, outfile)).size / 1024), 'KiB'),
  );

  const emulators = await startEmulators({ sqsPort: 0, dynamodbPort: 0, dataDir: null });
  try {
    const env = emulatorEnv({ ...process.env, QUEUE_NAME: 'bench-quotes', DLQ_NAME: 'bench-quotes-dlq', TABLE_NAME: 'bench-quotes' }, emulators);
    await provision(parseConfig(env));
    const coldStart = async (file: string) => {
      const runs: number[] = [];
      for (let i = 0; i < COLD_STARTS; i++) runs.push(await initMs(resolve(root, file), env));
      return round(median(runs));
    };
    const bundled = await coldStart(LAMBDA_BUNDLES.processor.outfile);
    const unbundled = await coldStart(LAMBDA_BUNDLES.processor.entry);
    figures.push(lowerIsBetter('lambda-processor-cold-start-init', bundled, 'ms', unbundled));
  } finally {
    await emulators.stop();
  }
  return figures;
}

/** Milliseconds from `require` of the handler file to the end of its first (empty) invocation, in a new process. */
async function initMs(file: string, env: NodeJS.ProcessEnv): Promise<number> {
  const script = `
    const started = performance.now();
    const { handler } = require(${JSON.stringify(file)});
    handler({ Records: [] }).then((answer) => {
      if (answer.batchItemFailures.length) throw new Error('unexpected failures');
      process.stdout.write(JSON.stringify({ ms: performance.now() - started }) + '\\n');
      process.exit(0);
    });`;
  const line = await runNodeScript(script, { cwd: root, env, marker: '{"ms"', what: `cold start of ${file}` });
  return (JSON.parse(`{"ms"${line}`) as { ms: number }).ms;
}
