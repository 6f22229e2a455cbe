import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { DeleteQueueCommand } from '@aws-sdk/client-sqs';
import { createDocumentClient, createSqsClient, parseConfig, type QuoteflowConfig } from '@app/common';
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { provision, type Provisioned } from '../../tools/local/provision';
import { AppProcess, type AppName } from '../../test/support/app-process';

export const root = resolve(__dirname, '../..');
/** Where `npm run build` puts the apps; the benchmarks run what users run. */
export const BUILD_DIR = resolve(root, 'dist');
/**
 * Where the benchmarks compile their own files (baseline workers, bundle variants): inside
 * node_modules, so that the compiled files find the packages, and one folder per checkout, since
 * git worktrees may share one node_modules and must not overwrite each other's workers.
 */
export const BENCH_CACHE_DIR = resolve(root, 'node_modules/.cache/quoteflow-bench', createHash('sha256').update(root).digest('hex').slice(0, 12));

/**
 * Settings every benchmarked process gets: no schedule, no rate limit (#9 enforces it), long
 * visibility timeout (nothing is redelivered during a run), JSON logs as in production.
 */
const BENCH_SETTINGS = {
  LOG_FORMAT: 'json',
  INGEST_CRON: 'off',
  INGEST_ON_START: 'false',
  RATE_LIMIT_PER_MINUTE: '0',
  MARKET_HOURS: 'always',
  VISIBILITY_TIMEOUT_SECONDS: '120',
  NO_COLOR: '1',
};

/**
 * `BENCH_CPU_PROF_DIR=<dir>`: every process of the run (emulators, apps, baselines) writes a V8 CPU
 * profile there when it exits (`node --cpu-prof`); `tsx bench/profile-summary.ts <dir>` sums them up.
 */
export function profiling(): string[] {
  const dir = process.env.BENCH_CPU_PROF_DIR;
  return dir ? ['--cpu-prof', `--cpu-prof-dir=${resolve(dir)}`] : [];
}

/**
 * The SQS and DynamoDB emulators in a process of their own (`npm run emulators` on free ports), so
 * that ours and every baseline are clients in other processes and pay the same network hops.
 */
export class BenchEnv {
  private names = 0;

  private constructor(
    private readonly child: ChildProcess,
    readonly sqsEndpoint: string,
    readonly dynamodbEndpoint: string,
    private readonly buildDir: string,
  ) {}

  /** `buildDir`: where the compiled apps are (the e2e test of the benchmarks uses its own build). */
  static async start(buildDir = BUILD_DIR): Promise<BenchEnv> {
    const child = spawn(process.execPath, ['--disable-warning=NodeVersionSupportWarning', ...profiling(), '--import', 'tsx', 'tools/local/emulators-cli.ts'], {
      cwd: root,
      env: {
        PATH: process.env.PATH ?? '',
        EMULATOR_SQS_PORT: '0',
        EMULATOR_DYNAMODB_PORT: '0',
        EMULATOR_PERSIST: 'false',
        EMULATOR_PROVISION: 'false',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const ready = await new Promise<{ sqsEndpoint: string; dynamodbEndpoint: string }>((done, fail) => {
      child.once('exit', (code) => fail(new Error(`emulators exited with ${code}`)));
      createInterface({ input: child.stdout }).on('line', (line) => {
        if (line.startsWith('QUOTEFLOW_EMULATORS ')) done(JSON.parse(line.slice('QUOTEFLOW_EMULATORS '.length)));
      });
    });
    return new BenchEnv(child, ready.sqsEndpoint, ready.dynamodbEndpoint, buildDir);
  }

  /** Runs `body` with emulators of its own, stopped afterwards. */
  static async with<T>(body: (env: BenchEnv) => Promise<T>, buildDir?: string): Promise<T> {
    const env = await BenchEnv.start(buildDir);
    try {
      return await body(env);
    } finally {
      await env.stop();
    }
  }

  get pid(): number {
    return this.child.pid ?? 0;
  }

  /** Environment of a process that uses a fresh queue, DLQ and table `name`, with `extra` on top. */
  env(name: string, extra: Record<string, string> = {}): Record<string, string> {
    return {
      PATH: process.env.PATH ?? '',
      AWS_REGION: 'us-east-1',
      AWS_ENDPOINT_URL_SQS: this.sqsEndpoint,
      AWS_ENDPOINT_URL_DYNAMODB: this.dynamodbEndpoint,
      QUEUE_NAME: name,
      DLQ_NAME: `${name}-dlq`,
      TABLE_NAME: name,
      ...BENCH_SETTINGS,
      ...extra,
    };
  }

  /** Provisions a fresh queue, DLQ and table; `release` deletes them, so later runs do not work on a fuller emulator. */
  async resources(prefix: string, extra: Record<string, string> = {}): Promise<BenchResources> {
    const name = `bench-${prefix}-${++this.names}`;
    const env = this.env(name, extra);
    const config = parseConfig(env);
    const provisioned = await provision(config);
    return new BenchResources(env, config, provisioned);
  }

  /** Starts a built app against these emulators. */
  startApp(name: AppName, env: Record<string, string>): Promise<AppProcess> {
    return AppProcess.start(name, env, this.buildDir, profiling());
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    await new Promise<void>((stopped) => {
      this.child.once('exit', () => stopped());
      this.child.kill('SIGTERM');
    });
  }
}

/** One queue + DLQ + table with clients to them. */
export class BenchResources {
  readonly sqs;
  readonly dynamo;

  constructor(
    readonly env: Record<string, string>,
    readonly config: QuoteflowConfig,
    readonly urls: Provisioned,
  ) {
    this.sqs = createSqsClient(config.aws);
    this.dynamo = createDocumentClient(config.aws);
  }

  async release(): Promise<void> {
    await this.dynamo.send(new DeleteTableCommand({ TableName: this.urls.tableName }));
    await Promise.all([this.urls.queueUrl, this.urls.dlqUrl].map((QueueUrl) => this.sqs.send(new DeleteQueueCommand({ QueueUrl }))));
    this.sqs.destroy();
    this.dynamo.destroy();
  }
}

/** Resident set size of a process in KiB (Linux `/proc`). */
export function rssKiB(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) : 0;
}

/** Samples a process's RSS every 100 ms until `stop()`, which answers the peak in KiB. */
export function watchRss(pid: number): { stop(): number } {
  let peak = rssKiB(pid);
  const timer = setInterval(() => {
    try {
      peak = Math.max(peak, rssKiB(pid));
    } catch {
      // the process has exited
    }
  }, 100);
  return {
    stop() {
      clearInterval(timer);
      return peak;
    },
  };
}
