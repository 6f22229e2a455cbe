import { createDocumentClient, type QuoteflowConfig } from '@app/common';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { testConfig } from '../../../test/support/test-stack';
import { IngestLease } from '../src/ingest/ingest-lease';

const SLOT = Date.parse('2024-09-16T10:00:00.000Z');
const NEXT_SLOT = SLOT + 60_000;

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

  afterEach(() => dynamo.destroy());

  it('is held by one of two instances that ask at once', async () => {
    const answers = await Promise.all([a.acquire(30_000, null), b.acquire(30_000, null)]);

    expect(answers.filter((x) => 'lease' in x)).toHaveLength(1);
    const refused = answers.find((x) => 'heldBy' in x);
    expect(refused).toEqual({ heldBy: expect.objectContaining({ holder: expect.stringMatching(/:\d+:/) }) });
  });

  it('is free again once released, or once expired', async () => {
    const first = await a.acquire(30_000, null);
    if (!('lease' in first)) throw new Error('not acquired');
    await a.release(first.lease);
    await expect(b.acquire(1, null)).resolves.toHaveProperty('lease');
    await new Promise((r) => setTimeout(r, 5));

    await expect(a.acquire(30_000, null)).resolves.toHaveProperty('lease');
  });

  it('runs a schedule slot once, even after the lease is released', async () => {
    const first = await a.acquire(30_000, SLOT);
    if (!('lease' in first)) throw new Error('not acquired');
    await a.release(first.lease);

    await expect(b.acquire(30_000, SLOT)).resolves.toEqual({ heldBy: { holder: null, expiresAt: 0, lastSlot: SLOT } });
    await expect(b.acquire(30_000, NEXT_SLOT)).resolves.toHaveProperty('lease');
  });

  it('keeps the last slot across the lease of a manual run', async () => {
    const cron = await a.acquire(30_000, SLOT);
    if (!('lease' in cron)) throw new Error('not acquired');
    await a.release(cron.lease);
    const manual = await b.acquire(30_000, null);
    if (!('lease' in manual)) throw new Error('not acquired');
    await b.release(manual.lease);

    await expect(a.acquire(30_000, SLOT)).resolves.toHaveProperty('heldBy.lastSlot', SLOT);
  });

  it('cannot be renewed or released by an instance that lost it', async () => {
    const first = await a.acquire(1, null);
    if (!('lease' in first)) throw new Error('not acquired');
    await new Promise((r) => setTimeout(r, 5));
    await expect(b.acquire(30_000, null)).resolves.toHaveProperty('lease');

    await expect(a.renew(first.lease, 30_000)).resolves.toBe(false);
    await expect(a.release(first.lease)).resolves.toBe(false);
    await expect(a.acquire(30_000, null)).resolves.toHaveProperty('heldBy.holder', b.holder);
  });
});
