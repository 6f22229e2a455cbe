import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { stringify } from 'yaml';
import { freePort } from './app-process';
import { captureLog } from './log-capture';

/** One alert as `GET /api/v1/alerts` lists it. */
export interface PrometheusAlert {
  labels: Record<string, string>;
  state: 'pending' | 'firing';
  value: string;
}

/**
 * A real Prometheus (Debian's package) on a free port of 127.0.0.1, with a temporary config and
 * data folder: it scrapes the given targets and evaluates the given rule file every `intervalSeconds`.
 */
export class PrometheusServer {
  readonly lines: string[] = [];
  readonly url: string;

  private constructor(
    private readonly child: ChildProcess,
    private readonly dir: string,
    port: number,
  ) {
    this.url = `http://127.0.0.1:${port}`;
    createInterface({ input: child.stderr! }).on('line', (line) => {
      captureLog(`prometheus-${child.pid}.log`, `${line}\n`);
      this.lines.push(line);
    });
  }

  /** `jobs`: job name → `host:port` targets. Resolves once Prometheus says it is ready. */
  static async start(binary: string, options: { jobs: Record<string, string[]>; rules: string; intervalSeconds: number }): Promise<PrometheusServer> {
    const dir = mkdtempSync(join(tmpdir(), 'quoteflow-prometheus-'));
    const interval = `${options.intervalSeconds}s`;
    writeFileSync(join(dir, 'rules.yml'), options.rules);
    writeFileSync(
      join(dir, 'prometheus.yml'),
      stringify({
        global: { scrape_interval: interval, evaluation_interval: interval, scrape_timeout: interval },
        rule_files: [join(dir, 'rules.yml')],
        scrape_configs: Object.entries(options.jobs).map(([job_name, targets]) => ({ job_name, static_configs: [{ targets }] })),
      }),
    );
    const port = await freePort();
    const child = spawn(
      binary,
      [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    const server = new PrometheusServer(child, dir, port);
    const exited = new Promise<never>((_, reject) => child.once('exit', (code) => reject(new Error(`prometheus exited (${code}):\n${server.lines.join('\n')}`))));
    const ready = (async () => {
      for (;;) {
        const ok = await fetch(`${server.url}/-/ready`).then((r) => r.ok, () => false);
        if (ok) return server;
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    return Promise.race([ready, exited]);
  }

  /** The alerts Prometheus holds now (pending or firing). */
  async alerts(): Promise<PrometheusAlert[]> {
    const body = (await (await fetch(`${this.url}/api/v1/alerts`)).json()) as { data: { alerts: PrometheusAlert[] } };
    return body.data.alerts;
  }

  /** An instant query's result vector. */
  async query(expr: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]> {
    const body = (await (await fetch(`${this.url}/api/v1/query?query=${encodeURIComponent(expr)}`)).json()) as {
      status: string;
      error?: string;
      data: { result: { metric: Record<string, string>; value: [number, string] }[] };
    };
    if (body.status !== 'success') throw new Error(`query ${expr} failed: ${body.error}`);
    return body.data.result;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      const gone = new Promise((done) => this.child.once('exit', done));
      this.child.kill('SIGTERM');
      await gone;
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
