import { z } from 'zod';
import { PoisonMessageError } from '../errors';
import { quoteSchema, type Quote } from './quote';

/**
 * Version of the queue message format of a live quote; bump it when the shape changes incompatibly.
 * A live quote is still written as version 1, byte for byte as before, so that processors of the
 * previous release read it during a rolling deploy.
 */
export const QUOTE_MESSAGE_VERSION = 1;

/**
 * Version of a message whose quote carries the `origin`/`interval` labels (a backfilled bar).
 * Version-1 readers validate the quote strictly and would refuse the labels anyway, so the labels
 * come with their own version: an old processor dead-letters such a message as
 * `unsupported schemaVersion 2` (and it can be redriven after the upgrade) instead of misreading it.
 */
export const LABELLED_QUOTE_MESSAGE_VERSION = 2;

/** Versions this release reads: both, during and after a rolling deploy. */
export const QUOTE_MESSAGE_VERSIONS = [QUOTE_MESSAGE_VERSION, LABELLED_QUOTE_MESSAGE_VERSION] as const;

const envelope = {
  runId: z.string().min(1).max(64),
  fetchedAt: z.string().datetime(),
};

/** Version 1: one normalised live quote, without labels, plus where it came from. */
export const quoteMessageV1Schema = z
  .object({
    schemaVersion: z.literal(QUOTE_MESSAGE_VERSION),
    ...envelope,
    quote: quoteSchema.refine((q) => q.origin === undefined && q.interval === undefined, {
      path: ['origin'],
      message: 'labels_need_schema_version_2',
    }),
  })
  .strict();

/** Version 2: one quote that says its origin (and, for a backfilled bar, its interval). */
export const quoteMessageV2Schema = z
  .object({
    schemaVersion: z.literal(LABELLED_QUOTE_MESSAGE_VERSION),
    ...envelope,
    quote: quoteSchema.refine((q) => q.origin !== undefined, { path: ['origin'], message: 'missing_origin' }),
  })
  .strict();

/** One SQS message = one normalised quote, plus where it came from; either version. */
export const quoteMessageSchema = z.discriminatedUnion('schemaVersion', [quoteMessageV1Schema, quoteMessageV2Schema]);

export type QuoteMessage = z.infer<typeof quoteMessageSchema>;

/**
 * Writes a quote as a message body: version 1 for a live quote (an explicit `origin: 'live'` is
 * dropped, absence means the same), version 2 for a backfilled one.
 */
export function encodeQuoteMessage(quote: Quote, runId: string, fetchedAt: string): string {
  if (quote.origin === 'backfill') {
    const message: QuoteMessage = { schemaVersion: LABELLED_QUOTE_MESSAGE_VERSION, runId, fetchedAt, quote };
    return JSON.stringify(message);
  }
  const { origin: _live, interval: _none, ...live } = quote;
  const message: QuoteMessage = { schemaVersion: QUOTE_MESSAGE_VERSION, runId, fetchedAt, quote: live };
  return JSON.stringify(message);
}

/**
 * Parses a message body of either version; throws {@link PoisonMessageError} with the reason when
 * it can never be processed. A version-1 quote comes back without `origin`: it is live.
 */
export function decodeQuoteMessage(body: string | undefined): QuoteMessage {
  let json: unknown;
  try {
    json = JSON.parse(body ?? '');
  } catch (cause) {
    throw new PoisonMessageError('not_json', 'body is not JSON', { cause });
  }
  const version = (json as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (!(QUOTE_MESSAGE_VERSIONS as readonly unknown[]).includes(version)) {
    throw new PoisonMessageError('unsupported_version', `unsupported schemaVersion ${JSON.stringify(version)}`);
  }
  const parsed = (version === QUOTE_MESSAGE_VERSION ? quoteMessageV1Schema : quoteMessageV2Schema).safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new PoisonMessageError('invalid_message', `${issue.path.join('.') || 'message'}: ${issue.message}`);
  }
  return parsed.data;
}
