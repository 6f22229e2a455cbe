import { paginateQuery, type DynamoDBDocumentClient, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';

/**
 * Every item a Query answers, page after page (a page stops at 1 MB), with the SDK's own paginator.
 * Only for ranges that are small by construction, such as one day of one instrument; larger ranges
 * are read page by page by their caller.
 */
export async function queryAll(dynamo: DynamoDBDocumentClient, input: Omit<QueryCommandInput, 'ExclusiveStartKey'>): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  for await (const page of paginateQuery({ client: dynamo }, input)) items.push(...(page.Items ?? []));
  return items;
}
