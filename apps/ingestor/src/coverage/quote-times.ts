import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { InjectConfig, QuoteTable, type QuoteflowConfig, queryAll } from '@app/common';
import { Inject, Injectable } from '@nestjs/common';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';

/**
 * Adapter that reads only the quote times of an instrument's stored history (layout in
 * `QuoteTable`): the sort keys, projected, so a day of minute quotes is a few kilobytes.
 */
@Injectable()
export class QuoteTimes {
  private readonly table: string;

  constructor(
    @Inject(DynamoDBDocumentClient) private readonly dynamo: DynamoDBDocumentClient,
    @InjectConfig() config: QuoteflowConfig,
  ) {
    this.table = config.table.name;
  }

  /** Quote times in [from, to) (ISO-8601 UTC), oldest first. */
  async between(symbol: string, series: string | null, from: string, to: string): Promise<string[]> {
    const items = await queryAll(this.dynamo, {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': QuoteTable.historyPartition(symbol, series), ':from': from, ':to': to },
      ProjectionExpression: 'sk',
    });
    return items.filter((item) => item.sk !== to).map((item) => String(item.sk));
  }

  /** The time of the instrument's oldest stored quote, `null` when it has none. */
  async first(symbol: string, series: string | null): Promise<string | null> {
    const { Items = [] } = await this.dynamo.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': QuoteTable.historyPartition(symbol, series) },
        ProjectionExpression: 'sk',
        Limit: 1,
      }),
    );
    return Items.length ? String(Items[0].sk) : null;
  }
}
