import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { lowerIsBetter, median, round, type Figure } from './figure';
import { BenchEnv } from './support/bench-env';
import { CallCounter, type Call } from './support/call-counter';
import { DynamoCapacity, type WireItem } from './support/dynamodb-capacity';
import { benchUpstream, upstreamEnv } from './support/upstream';

export interface StateBenchOptions {
  buildDir?: string;
  symbols: number;
  runs: number;
}

export const STATE_BENCH: StateBenchOptions = { symbols: 50, runs: 3 };

/** Which design a DynamoDB call belongs to: the in-memory design made it too, or the shared state adds it. */
type Side = 'baseline' | 'shared';

/** One side's calls and units in one measured window. */
interface SideTally {
  calls: number;
  writeUnits: number;
  readUnits: number;
}

/**
 * What the shared state costs in DynamoDB: one ingest run (POST /ingest/trigger on the built
 * ingestor, 50 instruments of one provider) and one `/status` read (after the cache has expired),
 * every DynamoDB call counted by a pass-through proxy and its units added up from the items
 * (`DynamoCapacity`). The in-memory design (before the table was the one truth) made the lease
 * calls and the run record of each run, and read the stored quotes for the coverage summary: those
 * calls are the baseline, told apart by the keys they touch; everything else (the providers'
 * state, the pauses, the newest runs) is what the shared state adds. Both are counted in the same run.
 */
export async function stateBench(options: StateBenchOptions = STATE_BENCH): Promise<Figure[]> {
  return BenchEnv.with(async (env) => {
    const upstream = await benchUpstream(options.symbols);
    const direct = new DynamoDBClient({ region: 'us-east-1', endpoint: env.dynamodbEndpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    const readBack = async (table: string, key: WireItem) => (await direct.send(new GetItemCommand({ TableName: table, Key: key as never }))).Item as WireItem | undefined;
    const capacity = { baseline: new DynamoCapacity([['gsi1pk', 'gsi1sk']], readBack), shared: new DynamoCapacity([['gsi1pk', 'gsi1sk']], readBack) };
    const calls = { baseline: 0, shared: 0 };
    const counter = await new CallCounter(env.dynamodbEndpoint, async (call) => {
      const side = sideOf(call);
      if (!side) return;
      calls[side]++;
      await capacity[side].inspect(call);
    }).start();
    const res = await env.resources('state', { ...upstreamEnv(upstream), AWS_ENDPOINT_URL_DYNAMODB: counter.url, MARKET_HOURS: 'always' });
    const window = async (act: () => Promise<void>): Promise<Record<Side, SideTally>> => {
      await counter.settled();
      for (const side of ['baseline', 'shared'] as const) {
        calls[side] = 0;
        capacity[side].reset();
      }
      await act();
      await counter.settled();
      const tally = (side: Side): SideTally => ({ calls: calls[side], writeUnits: capacity[side].tally().writeUnits, readUnits: round(capacity[side].tally().readUnits, 1) });
      return { baseline: tally('baseline'), shared: tally('shared') };
    };
    try {
      const ingestor = await env.startApp('ingestor', res.env);
      const runs: Record<Side, SideTally>[] = [];
      const reads: Record<Side, SideTally>[] = [];
      try {
        const base = `http://127.0.0.1:${ingestor.port}`;
        // the coverage summary is computed on the first /status read and kept for minutes: warm it first
        await fetch(`${base}/status`).then((r) => r.json());
        for (let i = 0; i < options.runs; i++) {
          runs.push(
            await window(async () => {
              const answer = await fetch(`${base}/ingest/trigger`, { method: 'POST' });
              const run = (await answer.json()) as { published?: number };
              if (!answer.ok || run.published !== options.symbols) throw new Error(`ingest run: HTTP ${answer.status} ${JSON.stringify(run)}`);
            }),
          );
          // past the one-second cache, so the read goes to the table
          await new Promise((r) => setTimeout(r, 1_100));
          reads.push(await window(() => fetch(`${base}/status`).then(async (r) => void (await r.json()))));
        }
      } finally {
        await ingestor.stop();
      }
      const med = (tallies: Record<Side, SideTally>[], side: Side, field: keyof SideTally) => median(tallies.map((t) => t[side][field]));
      const perRun = { baseline: med(runs, 'baseline', 'calls'), shared: med(runs, 'shared', 'calls') };
      const detail = {
        symbols: options.symbols,
        run: {
          inMemoryDesign: { calls: perRun.baseline, writeUnits: med(runs, 'baseline', 'writeUnits'), readUnits: med(runs, 'baseline', 'readUnits') },
          addedBySharedState: { calls: perRun.shared, writeUnits: med(runs, 'shared', 'writeUnits'), readUnits: med(runs, 'shared', 'readUnits') },
        },
        statusRead: {
          inMemoryDesign: { calls: med(reads, 'baseline', 'calls'), readUnits: med(reads, 'baseline', 'readUnits') },
          addedBySharedState: { calls: med(reads, 'shared', 'calls'), readUnits: med(reads, 'shared', 'readUnits') },
        },
      };
      process.stderr.write(`state: ${JSON.stringify(detail)}\n`);
      const figure = lowerIsBetter('ingest-state-calls-per-run', perRun.baseline + perRun.shared, 'DynamoDB calls/run', perRun.baseline);
      return [{ ...figure, detail }];
    } finally {
      await res.release();
      await counter.stop();
      await upstream.stop();
      direct.destroy();
    }
  }, options.buildDir);
}

/**
 * The design a call belongs to, by the partition keys it touches: the lease (`LEASE#`), the run
 * records (`RUNS#`) written by a run, and the quote items read for coverage were there before;
 * the provider items and the newest-runs query of `/status` are the shared state's. The run
 * record's write counts for the baseline: the in-memory design wrote it too (now it also carries
 * the summary, a few hundred bytes more). `null` for calls that are neither (start-up probes).
 */
function sideOf(call: Call): Side | null {
  if (!call.request.length) return null;
  const input = JSON.parse(call.request.toString('utf8')) as {
    Key?: WireItem;
    Item?: WireItem;
    RequestItems?: Record<string, { Keys: WireItem[] }>;
    ExpressionAttributeValues?: Record<string, { S?: string }>;
    KeyConditionExpression?: string;
  };
  const pk = input.Key?.pk?.S ?? input.Item?.pk?.S ?? Object.values(input.RequestItems ?? {})[0]?.Keys?.[0]?.pk?.S ?? input.ExpressionAttributeValues?.[':pk']?.S;
  if (call.operation === 'BatchGetItem') return 'shared';
  if (!pk) return null;
  if (pk.startsWith('PROVIDER#')) return 'shared';
  // a Query of the newest runs (/status) is new; the run record's write and coverage's range queries are not
  if (pk.startsWith('RUNS#')) return call.operation === 'Query' && !/BETWEEN/.test(input.KeyConditionExpression ?? '') ? 'shared' : 'baseline';
  return 'baseline';
}
