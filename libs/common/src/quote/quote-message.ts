import { z } from 'zod';
import { PoisonMessageError } from '../errors';
import { quoteSchema, type Quote } from './quote';

/** Version of the queue message format; bump it when the shape changes incompatibly. */
export const QUOTE_MESSAGE_VERSION = 1;

/** One SQS message = one normalised quote, plus where it came from. */
export const quoteMessageSchema = z
  .object({
    schemaVersion: z.literal(QUOTE_MESSAGE_VERSION),
    runId: z.string().min(1).max(64),
    fetchedAt: z.string().datetime(),
    quote: quoteSchema,
  })
  .strict();

export type QuoteMessage = z.infer<typeof quoteMessageSchema>;

export function encodeQuoteMessage(quote: Quote, runId: string, fetchedAt: string): string {
  const message: QuoteMessage = { schemaVersion: QUOTE_MESSAGE_VERSION, runId, fetchedAt, quote };
  return JSON.stringify(message);
}

/** Parses a message body; throws {@link PoisonMessageError} with the reason when it can never be processed. */
export function decodeQuoteMessage(body: string | undefined): QuoteMessage {
  let json: unknown;
  try {
    json = JSON.parse(body ?? '');
  } catch (cause) {
    throw new PoisonMessageError('not_json', 'body is not JSON', { cause });
  }
  const version = (json as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (version !== QUOTE_MESSAGE_VERSION) {
    throw new PoisonMessageError('unsupported_version', `unsupported schemaVersion ${JSON.stringify(version)}`);
  }
  const parsed = quoteMessageSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new PoisonMessageError('invalid_message', `${issue.path.join('.') || 'message'}: ${issue.message}`);
  }
  return parsed.data;
}
