import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { freePort } from '../local/free-port';
import { createInterface } from 'node:readline';

export type Role = 'ingestor' | 'processor';

const READY: Record<Role, RegExp> = { processor: /consuming \S+ in batches/, ingestor: /HTTP API on / };
const RUN_ID = /"runId":"([0-9a-f-]{36})"/;
const RUN_LINE = /"msg":"run ([0-9a-f-]{36}) \((\w+)\) (\w+): fetched=(\d+) published=(\d+)/;

/** An ingest run as its process reported it (the line is written after the run has published). */
export interface RunLine {
  runId: string;
  /** When the soak read the line (epoch ms): later than every upstream answer of the run. */
  at: number;
  outcome: string;
  fetched: number;
  published: number;
}

/** One OS process of one app: a generation of a slot (`ingestor-a#2` is the slot's second process). */
export interface AppGeneration {
  slot: string;
  generation: number;
  role: Role;
  pid: number;
  port: number;
  startedAt: number;
  endedAt: number | null;
  /** `SIGKILL` when the injector killed it. */
  endedBy: NodeJS.Signals | null;
  /** Its `X-RapidAPI-Key` (ingestors): how the upstream tells the processes apart. */
  key: string;
  runs: RunLine[];
  /** Every run id its lines named, with when the first such line was read: names a run killed before its run line. */
  runIds: { at: number; runId: string }[];
  peakRssKb: number;
  rss: { at: number; kb: number }[];
  /** The last lines it wrote, for a report of why it ended. */
  tail: string[];
}

/**
 * The soak's app processes: two slots per app (`ingestor-a`, `ingestor-b`, `processor-a`,
 * `processor-b`), each running one generation of the built app at a time. The injector kills a
 * generation with SIGKILL and starts the slot's next one; every generation keeps its own record
 * (runs it reported, its RSS over time), which the ledger and the summary read.
 */
export class Fleet {
  readonly generations: AppGeneration[] = [];
  private readonly live = new Map<string, { gen: AppGeneration; child: ChildProcess; exited: Promise<void> }>();
  private sampler: NodeJS.Timeout | null = null;
  private readonly logSink: ((slot: string, line: string) => void) | null;

  constructor(
    private readonly buildDir: string,
    private readonly envOf: (role: Role, slot: string, key: string) => Record<string, string>,
    logSink?: (slot: string, line: string) => void,
  ) {
    this.logSink = logSink ?? null;
  }

  /** Starts the slot's next generation and resolves once it says it is ready. */
  async start(slot: string, role: Role, readyTimeoutMs = 120_000): Promise<AppGeneration> {
    const generation = this.generations.filter((g) => g.slot === slot).length + 1;
    const port = await freePort();
    const key = `soak-${slot}-${generation}`;
    const child = spawn(process.execPath, ['--no-warnings', resolve(this.buildDir, `apps/${role}/src/main.js`)], {
      env: {
        PATH: process.env.PATH ?? '',
        NO_COLOR: '1',
        ...this.envOf(role, slot, key),
        ...(role === 'processor' ? { PROCESSOR_PORT: String(port) } : { PORT: String(port) }),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const gen: AppGeneration = {
      slot,
      generation,
      role,
      pid: child.pid ?? 0,
      port,
      startedAt: Date.now(),
      endedAt: null,
      endedBy: null,
      key,
      runs: [],
      runIds: [],
      peakRssKb: 0,
      rss: [],
      tail: [],
    };
    this.generations.push(gen);
    let ready: () => void = () => undefined;
    const isReady = new Promise<void>((done) => (ready = done));
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream }).on('line', (line) => {
        this.logSink?.(`${slot}#${generation}`, line);
        gen.tail.push(line);
        if (gen.tail.length > 40) gen.tail.shift();
        if (READY[role].test(line)) ready();
        const runId = RUN_ID.exec(line)?.[1];
        if (runId && gen.runIds.at(-1)?.runId !== runId) gen.runIds.push({ at: Date.now(), runId });
        const run = RUN_LINE.exec(line);
        if (run) gen.runs.push({ runId: run[1], at: Date.now(), outcome: run[3], fetched: Number(run[4]), published: Number(run[5]) });
      });
    }
    const exited = new Promise<void>((done) =>
      child.once('exit', (_code, signal) => {
        gen.endedAt = Date.now();
        gen.endedBy ??= signal;
        this.live.delete(slot);
        done();
      }),
    );
    this.live.set(slot, { gen, child, exited });
    const timeout = new Promise<never>((_, reject) => {
      const timer = setTimeout(() => reject(new Error(`${slot}#${generation} not ready within ${readyTimeoutMs} ms:\n${gen.tail.join('\n')}`)), readyTimeoutMs);
      void isReady.then(() => clearTimeout(timer));
    });
    await Promise.race([
      isReady,
      timeout,
      exited.then(() => {
        // a later fault may kill a generation while it starts: the slot's next restart follows from that fault
        const how = gen.endedBy === 'SIGKILL' ? 'was killed by the injector before it was ready' : 'exited before it was ready';
        throw new Error(`${slot}#${generation} ${how}:\n${gen.tail.join('\n')}`);
      }),
    ]);
    return gen;
  }

  /** The running generation of a slot. */
  current(slot: string): AppGeneration | null {
    return this.live.get(slot)?.gen ?? null;
  }

  /** kill -9, and waits until the process is gone. */
  async kill(slot: string): Promise<AppGeneration | null> {
    const entry = this.live.get(slot);
    if (!entry) return null;
    entry.gen.endedBy = 'SIGKILL';
    entry.child.kill('SIGKILL');
    await entry.exited;
    return entry.gen;
  }

  /** SIGTERM (the apps' graceful stop), and waits until the process is gone. */
  async stop(slot: string): Promise<void> {
    const entry = this.live.get(slot);
    if (!entry) return;
    entry.gen.endedBy = 'SIGTERM';
    entry.child.kill('SIGTERM');
    await entry.exited;
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.live.keys()].map((slot) => this.stop(slot)));
  }

  /** Reads VmRSS of every live process from /proc every `everyMs`. */
  sampleRss(everyMs = 1_000): void {
    this.sampler = setInterval(() => {
      const at = Date.now();
      for (const { gen } of this.live.values()) {
        const kb = vmRssKb(gen.pid);
        if (kb === null) continue;
        gen.rss.push({ at, kb });
        gen.peakRssKb = Math.max(gen.peakRssKb, kb);
      }
    }, everyMs);
    this.sampler.unref();
  }

  stopSampling(): void {
    if (this.sampler) clearInterval(this.sampler);
  }
}

/** VmRSS of a process in kB; `null` when it is gone (or not Linux). */
export function vmRssKb(pid: number): number | null {
  try {
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

