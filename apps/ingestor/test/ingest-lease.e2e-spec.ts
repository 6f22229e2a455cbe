import { createDocumentClient, type QuoteflowConfig } from '@app/common';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { advanceClock, restoreClock } from '../../../test/support/clock';
import { testConfig } from '../../../test/support/test-stack';
import { IngestLease } from '../src/ingest/ingest-lease';

const SLOT = Date.parse('2024-09-16T10:00:00.000Z');
const NEXT_SLOT = SLOT + 60_000;
const TTL_MS = 30_000;

/** The lease item against the DynamoDB emulator: conditional writes decide, two instances never both hold it. */
describe('IngestLease', () => {
  let config: QuoteflowConfig;
  let dynamo: DynamoDBDocumentClient;
  let a: IngestLease;
  let b: IngestLease;

  beforeEach(async () => {
    config = await testConfig();
    dynamo = createDocumentClient(config.aws);
    a = new IngestLease(dynamo, config);
    b = new IngestLease(dynamo, config);
  });

  afterEach(() => {
    restoreClock();
    dynamo.destroy();
  });

  it('is held by one of two instances that ask at once', async () => {
    const answers = await Promise.all([a.acquire(TTL_MS, null), b.acquire(TTL_MS, null)]);

    expect(answers.filter((x) => 'lease' in x)).toHaveLength(1);
    const refused = answers.find((x) => 'heldBy' in x);
    expect(refused).toEqual({ heldBy: expect.objectContaining({ holder: expect.stringMatching(/:\d+:/) }) });
  });

  it('is free again once released, or once expired', async () => {
    const first = await a.acquire(TTL_MS, null);
    if (!('lease' in first)) throw new Error('not acquired');
    await a.release(first.lease);
    await expect(b.acquire(TTL_MS, null)).resolves.toHaveProperty('lease');
    advanceClock(TTL_MS); // b's lease has expired, unreleased

    await expect(a.acquire(TTL_MS, null)).resolves.toHaveProperty('lease');
  });

  it('runs a schedule slot once, even after the lease is released', async () => {
    const first = await a.acquire(TTL_MS, SLOT);
    if (!('lease' in first)) throw new Error('not acquired');
    await a.release(first.lease);

    await expect(b.acquire(TTL_MS, SLOT)).resolves.toEqual({ heldBy: { holder: null, expiresAt: 0, lastSlot: SLOT } });
    await expect(b.acquire(TTL_MS, NEXT_SLOT)).resolves.toHaveProperty('lease');
  });

  it('keeps the last slot across the lease of a manual run', async () => {
    const cron = await a.acquire(TTL_MS, SLOT);
    if (!('lease' in cron)) throw new Error('not acquired');
    await a.release(cron.lease);
    const manual = await b.acquire(TTL_MS, null);
    if (!('lease' in manual)) throw new Error('not acquired');
    await b.release(manual.lease);

    await expect(a.acquire(TTL_MS, SLOT)).resolves.toHaveProperty('heldBy.lastSlot', SLOT);
  });

  it('cannot be renewed or released by an instance that lost it', async () => {
    const first = await a.acquire(TTL_MS, null);
    if (!('lease' in first)) throw new Error('not acquired');
    advanceClock(TTL_MS);
    await expect(b.acquire(TTL_MS, null)).resolves.toHaveProperty('lease');

    await expect(a.renew(first.lease, TTL_MS)).resolves.toBe(false);
    await expect(a.release(first.lease)).resolves.toBe(false);
    await expect(a.acquire(TTL_MS, null)).resolves.toHaveProperty('heldBy.holder', b.holder);
  });
});
