import { PreviousLayout, QuoteTable, type Quote } from '@app/common';

/**
 * The item shapes and table of the layout before ADR 0006, copied here as that release wrote them
 * (history items are unchanged, so `QuoteTable.historyItem` still stands for them): the upgrade
 * test seeds a table through these, and the benches' "old design" writes them.
 */
export const PreviousShapes = {
  /** The latest item the previous processor wrote per instrument, with its entry in the GSI `latest`. */
  latestItem(quote: Quote, insertedAt: string): Record<string, unknown> {
    return {
      ...PreviousLayout.latestKey(quote.symbol, quote.series),
      gsi1pk: PreviousLayout.latestIndexPartition,
      gsi1sk: `${quote.symbol}#${quote.series ?? QuoteTable.noSeries}`,
      ...quote,
      insertedAt,
    };
  },

  /** CreateTable input of the previous release: the same keys plus the GSI `latest`. */
  definition(tableName: string) {
    const current = QuoteTable.definition(tableName);
    return {
      ...current,
      AttributeDefinitions: [...current.AttributeDefinitions, { AttributeName: 'gsi1pk', AttributeType: 'S' as const }, { AttributeName: 'gsi1sk', AttributeType: 'S' as const }],
      GlobalSecondaryIndexes: [
        {
          IndexName: PreviousLayout.latestIndex,
          KeySchema: [
            { AttributeName: 'gsi1pk', KeyType: 'HASH' as const },
            { AttributeName: 'gsi1sk', KeyType: 'RANGE' as const },
          ],
          Projection: { ProjectionType: 'ALL' as const },
        },
      ],
    };
  },
};
