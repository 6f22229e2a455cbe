import { CreateTableCommand } from '@aws-sdk/client-dynamodb';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { PreviousLayout, type QuoteflowConfig } from '@app/common';
import { QuoteReader } from '../apps/ingestor/src/quotes/quote-reader';
import { QuotesService } from '../apps/ingestor/src/quotes/quotes.service';
import { quoteFactory } from '../test/support/factories';
import { PreviousShapes } from '../test/support/previous-layout';
import { seedPreviousLayout, seedQuotes } from '../test/support/seed';
import { repeated, type Figure } from './figure';
import { BenchEnv } from './support/bench-env';

export const LIST_BENCH = { instruments: 2_000, listings: 20, rounds: 3 };

/** `GET /quotes`' largest page: a whole listing of 2,000 instruments is 4 pages. */
const PAGE = 500;

/**
 * `GET /quotes` over 2,000 instruments, page after page to the end, read by the ingestor's
 * service (ADR 0006: the registry, then each instrument's newest history item, behind the
 * single-flight board cache) against the previous layout's read as the previous release served it
 * (one Query of the GSI `latest` per page, no cache), same emulator, same quotes:
 *
 * - `query-list-latest-2000`: ms per whole listing while clients keep asking (`listings` in a row);
 * - `query-list-latest-2000-cold`: the first listing of a fresh process, ours reading 16 registry
 *   partitions and 2,000 latest Queries.
 */
export async function listBench(options = LIST_BENCH): Promise<Figure[]> {
  return BenchEnv.with(async (env) => {
    const res = await env.resources('list');
    try {
      const quotes = Array.from({ length: options.instruments }, (_, i) => quoteFactory({ symbol: `LIST${String(i).padStart(5, '0')}`, price: 100 + i / 100 }));
      const previous: QuoteflowConfig = { ...res.config, table: { ...res.config.table, name: `${res.config.table.name}-previous` } };
      await res.dynamo.send(new CreateTableCommand(PreviousShapes.definition(previous.table.name)));
      await seedQuotes(res.dynamo, res.config, quotes);
      await seedPreviousLayout(res.dynamo, previous, quotes);

      const previousListing = async () => {
        let count = 0;
        let start: Record<string, unknown> | undefined;
        do {
          const page = await res.dynamo.send(
            new QueryCommand({
              TableName: previous.table.name,
              IndexName: PreviousLayout.latestIndex,
              KeyConditionExpression: 'gsi1pk = :p',
              ExpressionAttributeValues: { ':p': PreviousLayout.latestIndexPartition },
              Limit: PAGE,
              ExclusiveStartKey: start,
            }),
          );
          count += page.Items?.length ?? 0;
          start = page.LastEvaluatedKey;
        } while (start);
        return count;
      };
      const ourListing = (service: QuotesService) => async () => {
        let count = 0;
        let cursor: string | undefined;
        do {
          const page = await service.listLatest({ limit: PAGE, cursor });
          count += page.items.length;
          cursor = page.nextCursor ?? undefined;
        } while (cursor);
        return count;
      };
      const timed = async (listing: () => Promise<number>) => {
        const started = performance.now();
        const count = await listing();
        if (count !== options.instruments) throw new Error(`listed ${count} of ${options.instruments} instruments`);
        return performance.now() - started;
      };
      const median = (ms: number[]) => [...ms].sort((a, b) => a - b)[Math.floor(ms.length / 2)];

      const served: { value: number; baseline: number }[] = [];
      const cold: { value: number; baseline: number }[] = [];
      for (let r = 0; r < options.rounds; r++) {
        const service = new QuotesService(new QuoteReader(res.dynamo, res.config), res.config);
        cold.push({ value: await timed(ourListing(service)), baseline: await timed(previousListing) });
        const ours: number[] = [];
        const theirs: number[] = [];
        for (let i = 0; i < options.listings; i++) {
          ours.push(await timed(ourListing(service)));
          theirs.push(await timed(previousListing));
        }
        served.push({ value: median(ours), baseline: median(theirs) });
      }
      return [repeated('query-list-latest-2000', 'ms/listing', 'lower', served, 2), repeated('query-list-latest-2000-cold', 'ms/listing', 'lower', cold, 1)];
    } finally {
      await res.release();
    }
  });
}
