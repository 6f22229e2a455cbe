import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand, ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { PreviousLayout, QuoteTable, writeIfConditionHolds } from '@app/common';

/** Where a migration stands: kept in the table itself, so a run on another machine resumes it too. */
export const MIGRATION_KEY = { pk: 'MIGRATION#0006', sk: 'STATE' };

export interface MigrateOptions {
  /** Count what would be done, write nothing. */
  dryRun?: boolean;
  /** Also delete the previous layout's latest items once their instrument is registered (after which a rollback is no longer possible). */
  removePrevious?: boolean;
  /** Items read per Scan page. */
  pageSize?: number;
  /** Stop after this many pages (tests of resumption); the next run goes on from there. */
  maxPages?: number;
  /** Called after each page with the items scanned so far and the table's approximate item count. */
  onProgress?(scanned: number, approximateTotal: number): void;
}

export interface MigrateSummary {
  /** Latest items of the previous layout found. */
  previousLatest: number;
  /** Registry items written now (the others were there already). */
  registered: number;
  removed: number;
  /** `false` when stopped by `maxPages`: run again to go on. */
  complete: boolean;
}

/**
 * Brings a table written by a release before ADR 0006 to the current layout: every instrument of
 * the previous layout's latest items (`L#<SYMBOL>` / `<series>`) gets its registry item, so the
 * listings find it. History items are the same in both layouts and stay as they are; the latest
 * is read from them. Idempotent (a conditional put per instrument; an instrument already
 * registered is left alone) and resumable (the Scan's position is saved in the table after each
 * page). Reads the base table with a Scan, so it needs no index and works whether or not the GSI
 * `latest` was already removed.
 */
export async function migrate(dynamo: DynamoDBDocumentClient, table: string, options: MigrateOptions = {}): Promise<MigrateSummary> {
  const summary: MigrateSummary = { previousLatest: 0, registered: 0, removed: 0, complete: false };
  const { Table } = await dynamo.send(new DescribeTableCommand({ TableName: table }));
  const approximateTotal = Table?.ItemCount ?? 0;
  const saved = options.dryRun ? undefined : (await dynamo.send(new GetCommand({ TableName: table, Key: MIGRATION_KEY, ConsistentRead: true }))).Item;
  // an unfinished run goes on where it stopped; after a finished one, a new run scans again from the start
  const resume = saved !== undefined && saved.done !== true;
  let start = resume ? (saved.next as Record<string, unknown> | undefined) : undefined;
  let scanned = resume ? Number(saved.scanned ?? 0) : 0;
  for (let pages = 0; ; pages++) {
    if (options.maxPages !== undefined && pages >= options.maxPages) return summary;
    const page = await dynamo.send(
      new ScanCommand({
        TableName: table,
        ExclusiveStartKey: start,
        Limit: options.pageSize ?? 1000,
        FilterExpression: 'begins_with(pk, :latest)',
        ExpressionAttributeValues: { ':latest': PreviousLayout.latestPrefix },
      }),
    );
    for (const item of page.Items ?? []) {
      summary.previousLatest++;
      if (options.dryRun) continue;
      const instrument = QuoteTable.toInstrument(item);
      const registeredAt = typeof item.insertedAt === 'string' ? item.insertedAt : new Date().toISOString();
      const put = await writeIfConditionHolds(() =>
        dynamo.send(new PutCommand({ TableName: table, Item: QuoteTable.instrumentItem(instrument, registeredAt), ConditionExpression: 'attribute_not_exists(pk)' })),
      );
      if (put) summary.registered++;
      if (options.removePrevious) {
        await dynamo.send(new DeleteCommand({ TableName: table, Key: { pk: item.pk, sk: item.sk } }));
        summary.removed++;
      }
    }
    scanned += page.ScannedCount ?? 0;
    start = page.LastEvaluatedKey;
    if (!options.dryRun) {
      await dynamo.send(new PutCommand({ TableName: table, Item: { ...MIGRATION_KEY, next: start, scanned, done: !start, updatedAt: new Date().toISOString() } }));
    }
    options.onProgress?.(scanned, Math.max(approximateTotal, scanned));
    if (!start) return { ...summary, complete: true };
  }
}
