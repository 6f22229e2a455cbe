import prand, { type RandomGenerator } from 'pure-rand';

/** Every fault the injector knows. */
export const FAULT_KINDS = [
  'processor-kill',
  'ingestor-kill',
  'dynamodb-throttle',
  'dynamodb-500',
  'dynamodb-slow',
  'dynamodb-outage',
  'sqs-500',
  'upstream-429',
  'upstream-500',
  'upstream-html',
  'upstream-timeout',
] as const;

export type FaultKind = (typeof FAULT_KINDS)[number];

/** One fault: starts `atMs` after the soak began and lasts `durationMs` (for a kill: until the restart). */
export interface PlannedFault {
  kind: FaultKind;
  atMs: number;
  durationMs: number;
  /** For a kill: which of the two processes (0 or 1); the injector may pick the busy one instead. */
  target: 0 | 1;
}

export interface FaultPlanOptions {
  seed: number;
  /** How long faults are injected. */
  runMs: number;
}

/** The full DynamoDB outage the issue asks for; shorter only when the run is too short to hold it. */
export const OUTAGE_MS = 30_000;

/**
 * The seeded fault schedule. Faults follow each other every 4-9 s (so a 2-minute run has well over
 * ten of them); kinds are drawn as shuffled rounds of every kind except the outage, so each kind
 * comes once before any comes twice. The 30 s DynamoDB outage comes once in every 10 minutes of
 * run (at least once), at a seeded moment. Durations scale with the run: a window is 2-6 % of the
 * run, between 2 and 8 s; nothing starts in the last 10 % of the run, so the pipeline is whole when
 * the injector stops.
 */
export function planFaults({ seed, runMs }: FaultPlanOptions): PlannedFault[] {
  let rng: RandomGenerator = prand.xoroshiro128plus(seed ^ 0x5eed);
  const int = (min: number, max: number) => {
    const [value, next] = prand.uniformIntDistribution(min, max, rng);
    rng = next;
    return value;
  };
  const lastStart = Math.floor(runMs * 0.9);
  const window = () => int(Math.max(2_000, Math.min(8_000, Math.floor(runMs * 0.02))), Math.max(2_000, Math.min(8_000, Math.floor(runMs * 0.06))));
  const kinds = FAULT_KINDS.filter((k) => k !== 'dynamodb-outage');
  const faults: PlannedFault[] = [];
  let round: FaultKind[] = [];
  for (let at = int(3_000, 6_000); at < lastStart; at += int(4_000, 9_000)) {
    if (!round.length) {
      round = [...kinds];
      for (let i = round.length - 1; i > 0; i--) {
        const j = int(0, i);
        [round[i], round[j]] = [round[j], round[i]];
      }
    }
    const kind = round.pop()!;
    const durationMs = kind.endsWith('-kill') ? int(1_000, 4_000) : kind === 'upstream-429' ? int(2_000, 4_000) : window();
    faults.push({ kind, atMs: at, durationMs, target: int(0, 1) as 0 | 1 });
  }
  const outageMs = Math.min(OUTAGE_MS, Math.floor(runMs / 3));
  const outages = Math.max(1, Math.floor(runMs / 600_000));
  const slice = lastStart / outages;
  for (let n = 0; n < outages; n++) {
    const latest = Math.max(Math.floor(slice * n), Math.floor(slice * (n + 1)) - outageMs);
    faults.push({ kind: 'dynamodb-outage', atMs: int(Math.floor(slice * n), latest), durationMs: outageMs, target: 0 });
  }
  return faults.sort((a, b) => a.atMs - b.atMs);
}
