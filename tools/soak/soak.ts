import { parseConfig, queueDepth, QuoteTable, resolveQueueUrl, createSqsClient, createDocumentClient, type QuoteflowConfig } from '@app/common';
import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, rmSync, type WriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { provision } from '../local/provision';
import { DYNAMODB_ERRORS, FaultProxy, SQS_ERRORS, type ProxyMode } from './fault-proxy';
import { FAULT_KINDS, planFaults, type FaultKind, type PlannedFault } from './fault-plan';
import { Fleet, vmRssKb, type AppGeneration, type Role } from './fleet';
import { percentile, reconcile, type LatestAnswer, type Ledger, type StoredItem } from './ledger';
import { soakSymbol } from './price-path';
import type { SoakOptions } from './soak-args';
import { SoakUpstream, type UpstreamMode } from './soak-upstream';

const root = resolve(__dirname, '../..');
const VISIBILITY_TIMEOUT_SECONDS = 20;
const MAX_RECEIVE_COUNT = 5;
const INGESTORS = ['ingestor-a', 'ingestor-b'];
const PROCESSORS = ['processor-a', 'processor-b'];
/** Instruments whose coverage report is compared with the ledger. */
const COVERAGE_SAMPLE = 5;

/** The ledger's counts as they are; the ledger's list of wrong latest quotes becomes its length. */
type LedgerCounts = Pick<Ledger, 'served' | 'published' | 'stored' | 'lost' | 'doubled' | 'invented' | 'mismatched' | 'lostToKilledRuns' | 'killedRuns'>;

export interface SoakSummary extends LedgerCounts {
  soak: 'summary';
  seed: number;
  minutes: number;
  instruments: number;
  tickSeconds: number;
  command: string;
  latestWrong: number;
  faults: Partial<Record<FaultKind, number>>;
  /** Requests the proxies and the upstream answered with a fault, by what they did. */
  faultedRequests: Record<string, Record<string, number>>;
  lagMs: { p50: number | null; p99: number | null; max: number | null };
  throughput: { quotesPerSecond: number; perMinuteStored: { min: number; median: number; max: number } };
  peakRssMb: Record<string, number>;
  memoryFlatness: Record<string, { firstWindowMb: number; lastWindowMb: number; change: number }> | null;
  restarts: Record<string, number>;
  dlq: { depth: number; reasons: Record<string, number> };
  coverage: CoverageCheck;
  drainedInSeconds: number | null;
  examples: string[];
  ok: boolean;
}

interface CoverageCheck {
  instruments: number;
  /** Whole minutes of the ingest window compared. */
  minutes: number;
  /**
   * Minutes in that window in which the upstream served no quote to a run that reported: it
   * failed, or no run called it (a quota pause, the lease of a killed ingestor, DynamoDB down).
   */
  unservedMinutes: string[];
  /** Gap minutes the coverage reports named in that window (union over the sampled instruments). */
  reportedGapMinutes: string[];
  agree: boolean;
  note?: string;
}

/**
 * The fault soak: emulators, proxies in front of them, the seeded upstream, two ingestors and two
 * processors as OS processes, the seeded fault injector, then the ledger. Resolves with the summary.
 */
export async function runSoak(options: SoakOptions, log: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): Promise<SoakSummary> {
  const runMs = Math.round(options.minutes * 60_000);
  const dataDir = mkdtempSync(join(tmpdir(), 'quoteflow-soak-'));
  const logDir = resolve(root, options.logDir);
  mkdirSync(logDir, { recursive: true });
  const logFiles = new Map<string, WriteStream>();
  const cleanup: (() => Promise<void> | void)[] = [() => rmSync(dataDir, { recursive: true, force: true })];
  try {
    log(`soak: seed ${options.seed}, ${options.minutes} min, ${options.instruments} instruments, tick ${options.tick} s`);
    const emulators = await startEmulatorHost(dataDir);
    cleanup.unshift(() => emulators.stop());
    const names = { QUEUE_NAME: 'soak-quotes', DLQ_NAME: 'soak-quotes-dlq', TABLE_NAME: 'soak-quotes' };
    const direct = parseConfig({
      AWS_REGION: 'us-east-1',
      AWS_ENDPOINT_URL_SQS: emulators.sqsEndpoint,
      AWS_ENDPOINT_URL_DYNAMODB: emulators.dynamodbEndpoint,
      VISIBILITY_TIMEOUT_SECONDS: String(VISIBILITY_TIMEOUT_SECONDS),
      MAX_RECEIVE_COUNT: String(MAX_RECEIVE_COUNT),
      ...names,
    });
    await provision(direct);

    const dynamoProxy = await new FaultProxy(emulators.dynamodbEndpoint, DYNAMODB_ERRORS, options.seed + 1).start();
    const sqsProxy = await new FaultProxy(emulators.sqsEndpoint, SQS_ERRORS, options.seed + 2).start();
    const upstream = await new SoakUpstream(options.seed, options.instruments, options.tick).start();
    cleanup.unshift(() => dynamoProxy.stop(), () => sqsProxy.stop(), () => upstream.stop());

    const cron = options.tick === 1 ? '* * * * * *' : `*/${options.tick} * * * * *`;
    const envOf = (role: Role, slot: string, key: string): Record<string, string> => ({
      AWS_REGION: 'us-east-1',
      AWS_ENDPOINT_URL_SQS: sqsProxy.url,
      AWS_ENDPOINT_URL_DYNAMODB: dynamoProxy.url,
      ...names,
      LOG_LEVEL: 'info',
      // the fleet reads the run lines (JSON) to know which runs reported
      LOG_FORMAT: 'json',
      ...(role === 'ingestor'
        ? {
            MARKET_DATA_PROVIDER: 'latest-stock-price',
            RAPIDAPI_KEY: key,
            RAPIDAPI_BASE_URL: upstream.url,
            INGEST_CRON: slot === 'checker' ? 'off' : cron,
            INGEST_ON_START: 'false',
            BACKFILL_CRON: 'off',
            BACKFILL_ON_START: 'false',
            MARKET_HOURS: 'always',
            RATE_LIMIT_PER_MINUTE: '0',
            UPSTREAM_TIMEOUT_MS: '2000',
            UPSTREAM_MAX_ATTEMPTS: '2',
            INGEST_BUDGET_MS: '15000',
          }
        : { BATCH_SIZE: '10' }),
    });
    const sink = (name: string, line: string) => {
      let file = logFiles.get(name);
      if (!file) logFiles.set(name, (file = createWriteStream(join(logDir, `${name.replace('#', '-')}.log`))));
      file.write(`${line}\n`);
    };
    const fleet = new Fleet(resolve(root, options.buildDir), envOf, sink);
    cleanup.unshift(() => fleet.stopAll());
    await Promise.all([...PROCESSORS.map((s) => fleet.start(s, 'processor')), ...INGESTORS.map((s) => fleet.start(s, 'ingestor'))]);
    log(`soak: fleet up (${fleet.generations.map((g) => `${g.slot}=${g.pid}`).join(' ')}); emulators ${emulators.pid}`);
    fleet.sampleRss();
    const hostRss = sampleHosts(emulators.pid);

    // the fault injector
    const plan = planFaults({ seed: options.seed, runMs });
    const faults: Partial<Record<FaultKind, number>> = {};
    const started = Date.now();
    const layered = layers();
    const pending = new Set<Promise<unknown>>();
    const track = <T>(p: Promise<T>) => {
      pending.add(p);
      void p.finally(() => pending.delete(p)).catch(() => undefined);
      return p;
    };
    const restart = async (slot: string, role: Role, afterMs: number) => {
      await sleep(afterMs);
      await fleet.start(slot, role);
    };
    const inject = async (fault: PlannedFault) => {
      faults[fault.kind] = (faults[fault.kind] ?? 0) + 1;
      log(`soak: +${((Date.now() - started) / 1000).toFixed(0)}s ${fault.kind} for ${fault.durationMs} ms`);
      switch (fault.kind) {
        case 'processor-kill': {
          const slot = PROCESSORS[fault.target];
          if (await fleet.kill(slot)) await restart(slot, 'processor', fault.durationMs);
          return;
        }
        case 'ingestor-kill': {
          // the ingestor that asked the upstream last is the one running the ingest: kill that one mid-run
          const last = upstream.requests.at(-1)?.client;
          const slot = INGESTORS.find((s) => fleet.current(s)?.key === last) ?? INGESTORS[fault.target];
          if (await fleet.kill(slot)) await restart(slot, 'ingestor', fault.durationMs);
          return;
        }
        case 'dynamodb-throttle':
          return layered.hold(dynamoProxy, { kind: 'throttle', share: 0.5 }, fault.durationMs);
        case 'dynamodb-500':
          return layered.hold(dynamoProxy, { kind: 'error500', share: 0.5 }, fault.durationMs);
        case 'dynamodb-slow':
          return layered.hold(dynamoProxy, { kind: 'slow', minMs: 300, maxMs: 2_500 }, fault.durationMs);
        case 'dynamodb-outage':
          return layered.hold(dynamoProxy, { kind: 'outage' }, fault.durationMs);
        case 'sqs-500':
          return layered.hold(sqsProxy, { kind: 'error500', share: 0.3 }, fault.durationMs);
        case 'upstream-429':
          return layered.hold(upstream, { kind: 'quota', resetSeconds: Math.max(1, Math.round(fault.durationMs / 1000)) }, fault.durationMs);
        case 'upstream-500':
          return layered.hold(upstream, { kind: 'error500' }, fault.durationMs);
        case 'upstream-html':
          return layered.hold(upstream, { kind: 'html' }, fault.durationMs);
        case 'upstream-timeout':
          return layered.hold(upstream, { kind: 'timeout' }, fault.durationMs);
      }
    };
    for (const fault of plan) {
      const wait = started + fault.atMs - Date.now();
      if (wait > 0) await sleep(wait);
      track(inject(fault)).catch((err: Error) => log(`soak: fault ${fault.kind} failed: ${err.message}`));
    }
    const left = started + runMs - Date.now();
    if (left > 0) await sleep(left);
    const ingestEndedAt = Date.now();
    await Promise.all([...pending]);
    log('soak: faults over; stopping the ingestors (graceful), draining the queue');

    await Promise.all(INGESTORS.map((s) => fleet.stop(s)));
    const stoppedAt = Date.now();
    const sqs = createSqsClient(direct.aws);
    const dynamo = createDocumentClient(direct.aws);
    cleanup.unshift(() => sqs.destroy(), () => dynamo.destroy());
    const queueUrl = await resolveQueueUrl(sqs, direct.queue.name);
    const drained = await drain(sqs, queueUrl, VISIBILITY_TIMEOUT_SECONDS * 1000 * 3 + 120_000);
    const drainedInSeconds = drained ? Math.round((Date.now() - stoppedAt) / 100) / 10 : null;
    log(`soak: queue ${drained ? `drained in ${drainedInSeconds} s` : 'NOT drained'}; checking the ledger`);

    const checker = await fleet.start('checker', 'ingestor');
    const latest = await latestOfAll(checker.port, options.instruments);
    const history = await scanHistory(dynamo, direct);
    const dlq = await readDlq(sqs, await resolveQueueUrl(sqs, direct.queue.dlqName));
    const ingestors = fleet.generations
      .filter((g) => g.role === 'ingestor' && g.slot !== 'checker')
      .map((g) => ({ key: g.key, name: `${g.slot}#${g.generation}`, runsAt: g.runs.map((r) => r.at), runIds: g.runIds, killed: g.endedBy === 'SIGKILL' }));
    const ledger = reconcile({ requests: upstream.requests, ingestors, path: upstream.path, tickSeconds: options.tick, history, latest });
    const coverage = await checkCoverage(checker.port, upstream, ingestors, started, ingestEndedAt, options);
    fleet.stopSampling();
    hostRss.stop();

    const summary: SoakSummary = {
      soak: 'summary',
      seed: options.seed,
      minutes: options.minutes,
      instruments: options.instruments,
      tickSeconds: options.tick,
      command: `npm run soak -- --minutes ${options.minutes} --instruments ${options.instruments} --tick ${options.tick} --seed ${options.seed}`,
      ...pickCounts(ledger),
      latestWrong: ledger.latestWrong.length,
      faults,
      faultedRequests: { dynamodb: dynamoProxy.faulted, sqs: sqsProxy.faulted, upstream: countModes(upstream.requests) },
      lagMs: { p50: percentile(ledger.lagsMs, 50), p99: percentile(ledger.lagsMs, 99), max: percentile(ledger.lagsMs, 100) },
      throughput: throughput(history, ingestEndedAt - started),
      peakRssMb: peakRss(fleet.generations, hostRss.samples),
      memoryFlatness: flatness(fleet.generations, hostRss.samples, started, ingestEndedAt),
      restarts: Object.fromEntries([...INGESTORS, ...PROCESSORS].map((s) => [s, fleet.generations.filter((g) => g.slot === s).length - 1])),
      dlq,
      coverage,
      drainedInSeconds,
      examples: ledger.examples,
      ok: false,
    };
    // the DLQ and the coverage are reported, not judged here: a quote in the DLQ that is not stored is lost anyway
    summary.ok = drained && summary.lost + summary.doubled + summary.invented + summary.mismatched + summary.latestWrong === 0;
    return summary;
  } finally {
    for (const step of cleanup) {
      try {
        await step();
      } catch {
        // tearing down: the next step still runs
      }
    }
    for (const file of logFiles.values()) file.end();
  }
}

/** Modes held by overlapping faults of one target: the newest one acts, and when it ends the one before it again. */
function layers() {
  const stacks = new Map<object, { id: number; mode: unknown }[]>();
  let ids = 0;
  return {
    async hold<M>(target: { set(mode: M): void }, mode: M, ms: number): Promise<void> {
      const id = ++ids;
      const stack = stacks.get(target) ?? [];
      stacks.set(target, stack);
      stack.push({ id, mode });
      target.set(mode);
      await sleep(ms);
      stack.splice(
        stack.findIndex((l) => l.id === id),
        1,
      );
      const pass = (target instanceof SoakUpstream ? { kind: 'serve' } : { kind: 'pass' }) as UpstreamMode | ProxyMode;
      target.set((stack.at(-1)?.mode ?? pass) as M);
    },
  };
}

interface EmulatorHost {
  pid: number;
  sqsEndpoint: string;
  dynamodbEndpoint: string;
  stop(): Promise<void>;
}

async function startEmulatorHost(dataDir: string): Promise<EmulatorHost> {
  const child = spawn(process.execPath, ['--no-warnings', '--import', 'tsx', 'tools/soak/emulator-host.ts'], {
    cwd: root,
    env: { ...process.env, SOAK_DATA_DIR: join(dataDir, 'dynamodb') },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const ready = await new Promise<{ sqsEndpoint: string; dynamodbEndpoint: string }>((resolveReady, reject) => {
    const timer = setTimeout(() => reject(new Error('emulators did not start within 120 s')), 120_000);
    void exited.then(() => reject(new Error('emulators exited before they were ready')));
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (!line.startsWith('QUOTEFLOW_EMULATORS ')) return;
      clearTimeout(timer);
      resolveReady(JSON.parse(line.slice('QUOTEFLOW_EMULATORS '.length)) as { sqsEndpoint: string; dynamodbEndpoint: string });
    });
  });
  return {
    pid: child.pid ?? 0,
    ...ready,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** RSS of the emulator process and of the soak itself (proxies, upstream, ledger), every second. */
function sampleHosts(emulatorPid: number) {
  const samples: { name: string; at: number; kb: number }[] = [];
  const timer = setInterval(() => {
    const at = Date.now();
    const emulators = vmRssKb(emulatorPid);
    if (emulators !== null) samples.push({ name: 'emulators', at, kb: emulators });
    samples.push({ name: 'soak', at, kb: Math.round(process.memoryUsage().rss / 1024) });
  }, 1_000);
  timer.unref();
  return { samples, stop: () => clearInterval(timer) };
}

/** Waits until the queue holds nothing, visible or in flight, three polls in a row; `false` past the deadline. */
async function drain(sqs: ReturnType<typeof createSqsClient>, queueUrl: string, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  let quiet = 0;
  while (Date.now() < deadline) {
    const { visible, inFlight } = await queueDepth(sqs, queueUrl);
    quiet = visible + inFlight === 0 ? quiet + 1 : 0;
    if (quiet >= 3) return true;
    await sleep(1_000);
  }
  return false;
}

async function latestOfAll(port: number, instruments: number): Promise<LatestAnswer[]> {
  const answers: LatestAnswer[] = [];
  const symbols = Array.from({ length: instruments }, (_, i) => soakSymbol(i));
  const next = async () => {
    for (let symbol = symbols.shift(); symbol; symbol = symbols.shift()) {
      const res = await fetch(`http://127.0.0.1:${port}/quotes/${symbol}`);
      if (res.status === 404) answers.push({ symbol, quote: null });
      else if (res.ok) answers.push({ symbol, quote: (await res.json()) as LatestAnswer['quote'] });
      else throw new Error(`GET /quotes/${symbol} answered ${res.status}: ${await res.text()}`);
    }
  };
  await Promise.all(Array.from({ length: 8 }, next));
  return answers;
}

async function scanHistory(dynamo: ReturnType<typeof createDocumentClient>, config: QuoteflowConfig): Promise<StoredItem[]> {
  const items: StoredItem[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await dynamo.send(new ScanCommand({ TableName: config.table.name, ExclusiveStartKey: start, ConsistentRead: true }));
    for (const item of page.Items ?? []) if (String(item.pk).startsWith('H#')) items.push(QuoteTable.toStoredQuote(item));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

async function readDlq(sqs: ReturnType<typeof createSqsClient>, dlqUrl: string): Promise<{ depth: number; reasons: Record<string, number> }> {
  const { visible, inFlight } = await queueDepth(sqs, dlqUrl);
  const reasons: Record<string, number> = {};
  // messages that went through the redrive policy carry no reason attribute: they failed maxReceiveCount times
  for (let seen = 0; seen < visible; ) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: dlqUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 300, MessageAttributeNames: ['All'], WaitTimeSeconds: 1 }),
    );
    if (!Messages.length) break;
    seen += Messages.length;
    for (const m of Messages) {
      const reason = m.MessageAttributes?.reason?.StringValue ?? `received ${MAX_RECEIVE_COUNT} times without being stored (redrive policy)`;
      reasons[reason] = (reasons[reason] ?? 0) + 1;
    }
  }
  return { depth: visible + inFlight, reasons };
}

/**
 * The coverage reports of a few instruments against the ledger: within the whole minutes of the
 * ingest window (each settled: the report judges a minute a minute after it ends), a minute is a
 * gap exactly when the upstream served no quote to a run that reported. Minutes whose only
 * answers went to killed runs are left out (their quotes may or may not have been published).
 */
async function checkCoverage(
  port: number,
  upstream: SoakUpstream,
  ingestors: { key: string; runsAt: number[]; killed: boolean }[],
  started: number,
  ended: number,
  options: SoakOptions,
): Promise<CoverageCheck> {
  const MINUTE = 60_000;
  const first = Math.ceil(started / MINUTE) * MINUTE;
  const last = Math.floor(ended / MINUTE) * MINUTE;
  const minutes: number[] = [];
  for (let m = first; m < last; m += MINUTE) minutes.push(m);
  const byKey = new Map(ingestors.map((p) => [p.key, p]));
  const minuteOf = (tick: number) => Math.floor(upstream.tickTime(tick) / MINUTE) * MINUTE;
  const reportedRun = new Set<number>();
  const killedOnly = new Set<number>();
  for (const r of upstream.requests) {
    if (r.tick === null || r.status !== 200) continue;
    const proc = byKey.get(r.client);
    if (proc && proc.killed && !proc.runsAt.some((at) => at >= r.at)) killedOnly.add(minuteOf(r.tick));
    else reportedRun.add(minuteOf(r.tick));
  }
  // a minute whose only answers went to runs killed mid-way may or may not be stored: not judged
  const judged = minutes.filter((m) => reportedRun.has(m) || !killedOnly.has(m));
  const unserved = judged.filter((m) => !reportedRun.has(m)).map((m) => new Date(m).toISOString());
  const sample = Array.from({ length: Math.min(COVERAGE_SAMPLE, options.instruments) }, (_, i) => soakSymbol(Math.floor((i * options.instruments) / COVERAGE_SAMPLE)));
  const reported = new Set<string>();
  const dates = new Set(minutes.map((m) => new Date(m).toISOString().slice(0, 10)));
  for (const symbol of sample) {
    for (const date of dates) {
      const res = await fetch(`http://127.0.0.1:${port}/quotes/${symbol}/coverage?series=EQ&date=${date}`);
      if (!res.ok) throw new Error(`GET /quotes/${symbol}/coverage answered ${res.status}: ${await res.text()}`);
      const report = (await res.json()) as { gaps: { from: string; to: string }[] };
      for (const gap of report.gaps) {
        for (let m = Date.parse(gap.from); m < Date.parse(gap.to); m += MINUTE) if (judged.includes(m)) reported.add(new Date(m).toISOString());
      }
    }
  }
  const reportedGapMinutes = [...reported].sort();
  const agree = reportedGapMinutes.length === unserved.length && reportedGapMinutes.every((m, i) => m === unserved[i]);
  return {
    instruments: sample.length,
    minutes: judged.length,
    unservedMinutes: unserved,
    reportedGapMinutes,
    agree,
    ...(minutes.length < 2 ? { note: 'fewer than two whole minutes in the ingest window: little to compare' } : {}),
  };
}

function countModes(requests: SoakUpstream['requests']): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of requests) if (r.mode !== 'serve') counts[r.mode] = (counts[r.mode] ?? 0) + 1;
  return counts;
}

function throughput(history: StoredItem[], ingestMs: number) {
  const perMinute = new Map<number, number>();
  for (const h of history) {
    const minute = Math.floor(Date.parse(h.insertedAt) / 60_000);
    perMinute.set(minute, (perMinute.get(minute) ?? 0) + 1);
  }
  // the first and last minutes are partial
  const counts = [...perMinute.entries()].sort((a, b) => a[0] - b[0]).slice(1, -1).map(([, n]) => n).sort((a, b) => a - b);
  return {
    quotesPerSecond: Math.round((history.length / (ingestMs / 1000)) * 10) / 10,
    perMinuteStored: { min: counts[0] ?? 0, median: counts[Math.floor(counts.length / 2)] ?? 0, max: counts.at(-1) ?? 0 },
  };
}

function mb(kb: number): number {
  return Math.round(kb / 102.4) / 10;
}

function peakRss(generations: AppGeneration[], hosts: { name: string; kb: number }[]): Record<string, number> {
  const peaks: Record<string, number> = {};
  for (const g of generations) peaks[g.slot] = Math.max(peaks[g.slot] ?? 0, mb(g.peakRssKb));
  for (const s of hosts) peaks[s.name] = Math.max(peaks[s.name] ?? 0, mb(s.kb));
  return peaks;
}

/**
 * Peak RSS of each slot in the first and the last window of the run (10 minutes each, a third of
 * the run when it is shorter than 30 minutes); `change` = last / first - 1.
 */
function flatness(generations: AppGeneration[], hosts: { name: string; at: number; kb: number }[], started: number, ended: number) {
  const windowMs = Math.min(10 * 60_000, (ended - started) / 3);
  const samples = new Map<string, { at: number; kb: number }[]>();
  for (const g of generations) samples.set(g.slot, [...(samples.get(g.slot) ?? []), ...g.rss]);
  for (const s of hosts) samples.set(s.name, [...(samples.get(s.name) ?? []), s]);
  const result: Record<string, { firstWindowMb: number; lastWindowMb: number; change: number }> = {};
  for (const [name, list] of samples) {
    if (name === 'checker') continue;
    const peak = (from: number, to: number) => Math.max(0, ...list.filter((s) => s.at >= from && s.at < to).map((s) => s.kb));
    const first = peak(started, started + windowMs);
    const last = peak(ended - windowMs, ended);
    if (!first || !last) continue;
    result[name] = { firstWindowMb: mb(first), lastWindowMb: mb(last), change: Math.round((last / first - 1) * 1000) / 1000 };
  }
  return result;
}

function pickCounts({ served, published, stored, lost, doubled, invented, mismatched, lostToKilledRuns, killedRuns }: Ledger): LedgerCounts {
  return { served, published, stored, lost, doubled, invented, mismatched, lostToKilledRuns, killedRuns };
}

/** The summary for people: one table. */
export function summaryTable(s: SoakSummary): string {
  const rows: [string, string][] = [
    ['run', `seed ${s.seed}, ${s.minutes} min, ${s.instruments} instruments, tick ${s.tickSeconds} s`],
    ['served / published / stored', `${s.served} / ${s.published} / ${s.stored}`],
    ['lost / doubled / invented / mismatched', `${s.lost} / ${s.doubled} / ${s.invented} / ${s.mismatched}`],
    ['lost to killed runs', `${s.lostToKilledRuns} (${s.killedRuns.length} run(s): ${s.killedRuns.map((r) => `${r.process} at ${r.answeredAt}${r.runId ? ` run ${r.runId}` : ''}`).join(', ') || '-'})`],
    ['latest not newest', String(s.latestWrong)],
    ['faults', `${Object.values(s.faults).reduce((a, b) => a + (b ?? 0), 0)} of ${Object.keys(s.faults).length} kinds: ${FAULT_KINDS.filter((k) => s.faults[k]).map((k) => `${k}=${s.faults[k]}`).join(' ')}`],
    ['faulted requests', Object.entries(s.faultedRequests).map(([t, c]) => `${t} ${JSON.stringify(c)}`).join('; ')],
    ['lag p50 / p99 / max', `${s.lagMs.p50} / ${s.lagMs.p99} / ${s.lagMs.max} ms`],
    ['throughput', `${s.throughput.quotesPerSecond} quotes/s; stored per whole minute min ${s.throughput.perMinuteStored.min}, median ${s.throughput.perMinuteStored.median}`],
    ['peak RSS (MB)', Object.entries(s.peakRssMb).map(([n, v]) => `${n} ${v}`).join(', ')],
    ['restarts', Object.entries(s.restarts).map(([n, v]) => `${n} ${v}`).join(', ')],
    ['DLQ at end', `${s.dlq.depth}${Object.keys(s.dlq.reasons).length ? ` ${JSON.stringify(s.dlq.reasons)}` : ''}`],
    ['coverage', `${s.coverage.agree ? 'agrees' : 'DISAGREES'}: ${s.coverage.minutes} whole minutes, without a served quote ${s.coverage.unservedMinutes.length}, reported gaps ${s.coverage.reportedGapMinutes.length}`],
    ['drained in', s.drainedInSeconds === null ? 'NOT drained' : `${s.drainedInSeconds} s`],
    ['verdict', s.ok ? 'OK' : 'FAILED'],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n');
}
