import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runNodeScript } from '../../tools/node-script';

const root = resolve(__dirname, '../..');

/**
 * A built Lambda bundle (`npm run build`) copied alone into a temporary folder, as the Lambda
 * runtime sees it: no node_modules anywhere above it, so a module left out of the bundle fails here.
 */
export class IsolatedBundle {
  private readonly dir: string;
  readonly file: string;

  constructor(relativePath: string) {
    this.dir = mkdtempSync(join(tmpdir(), 'quoteflow-lambda-'));
    this.file = join(this.dir, 'index.js');
    copyFileSync(resolve(root, relativePath), this.file);
  }

  /** Calls `exportName` with each event in turn, in one new Node process (one Lambda container), and answers the results. */
  async invoke<T>(exportName: string, events: unknown[], env: Record<string, string>): Promise<T[]> {
    return (await this.invokeWithOutput<T>(exportName, events, env)).results;
  }

  /** {@link invoke}, with every line the handlers wrote to stdout (the Lambda runtime sends those to CloudWatch Logs). */
  async invokeWithOutput<T>(exportName: string, events: unknown[], env: Record<string, string>): Promise<{ results: T[]; stdout: string[] }> {
    // stdout is captured by replacing its write: loggers that hold the stream (pino, Powertools' Console) still call it
    const script = `
      const write = process.stdout.write.bind(process.stdout);
      const stdout = [];
      process.stdout.write = (chunk, ...rest) => { stdout.push(String(chunk)); const cb = rest.find((r) => typeof r === 'function'); if (cb) cb(); return true; };
      const handler = require('./index.js')[${JSON.stringify(exportName)}];
      (async () => {
        const results = [];
        for (const event of JSON.parse(process.env.QUOTEFLOW_TEST_EVENTS)) results.push(await handler(event, {}));
        write('RESULTS ' + JSON.stringify({ results, stdout: stdout.join('').split('\\n').filter(Boolean) }) + '\\n');
      })().catch((err) => { console.error(err); process.exit(1); });`;
    const line = await runNodeScript(script, {
      cwd: this.dir,
      // only what a Lambda function would have: its configuration, no developer environment
      env: { PATH: process.env.PATH ?? '', ...env, QUOTEFLOW_TEST_EVENTS: JSON.stringify(events) },
      marker: 'RESULTS ',
      what: `${exportName} of the bundle`,
    });
    return JSON.parse(line) as { results: T[]; stdout: string[] };
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
