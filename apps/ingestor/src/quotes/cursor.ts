import { QuoteflowError } from '@app/common';

/** The cursor does not come from this listing. */
export class InvalidCursorError extends QuoteflowError {
  constructor(options?: { cause?: unknown }) {
    super('cursor is not valid for this listing', options);
  }
}

/** Cursors are a listing's DynamoDB key, base64url JSON: opaque to callers, checked when they come back. */
export function encodeCursor(key: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

/** The key a cursor encodes, if it has exactly the listing's attributes, as non-empty strings, in its partition. */
export function decodeCursor(cursor: string, expected: Record<string, string | null>): Record<string, string> {
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      typeof key === 'object' &&
      key !== null &&
      !Array.isArray(key) &&
      Object.keys(key).sort().join() === Object.keys(expected).sort().join() &&
      Object.entries(key).every(
        ([name, v]) => typeof v === 'string' && v.length > 0 && v.length <= 200 && (expected[name] === null || expected[name] === v),
      )
    ) {
      return key as Record<string, string>;
    }
  } catch {
    // falls through to the error below
  }
  throw new InvalidCursorError();
}
