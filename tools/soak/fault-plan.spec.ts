import { FAULT_KINDS, planFaults } from './fault-plan';

describe('planFaults', () => {
  it('is the same plan for the same seed and another for another seed', () => {
    expect(planFaults({ seed: 1, runMs: 120_000 })).toEqual(planFaults({ seed: 1, runMs: 120_000 }));
    expect(planFaults({ seed: 1, runMs: 120_000 })).not.toEqual(planFaults({ seed: 2, runMs: 120_000 }));
  });

  it('holds at least ten faults of at least five kinds in two minutes, one of them the outage', () => {
    for (const seed of [1, 7, 42, 2026]) {
      const plan = planFaults({ seed, runMs: 120_000 });
      const kinds = new Set(plan.map((f) => f.kind));

      expect(plan.length).toBeGreaterThanOrEqual(10);
      expect(kinds.size).toBeGreaterThanOrEqual(5);
      expect(plan.filter((f) => f.kind === 'dynamodb-outage')).toHaveLength(1);
    }
  });

  it('uses every kind in a long run, a 30 s outage every ten minutes, and starts nothing in the last tenth', () => {
    const plan = planFaults({ seed: 1, runMs: 30 * 60_000 });

    expect(new Set(plan.map((f) => f.kind))).toEqual(new Set(FAULT_KINDS));
    expect(plan.filter((f) => f.kind === 'dynamodb-outage').map((f) => f.durationMs)).toEqual([30_000, 30_000, 30_000]);
    expect(Math.max(...plan.map((f) => f.atMs))).toBeLessThan(27 * 60_000);
    expect(plan.map((f) => f.atMs)).toEqual([...plan.map((f) => f.atMs)].sort((a, b) => a - b));
  });

  it('ends every window before the run ends', () => {
    const runMs = 120_000;
    for (const f of planFaults({ seed: 3, runMs })) expect(f.atMs + f.durationMs).toBeLessThanOrEqual(runMs);
  });
});
