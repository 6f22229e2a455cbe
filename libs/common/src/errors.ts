/** Base class of every error quoteflow raises on purpose; `name` tells the kind, `cause` the origin. */
export class QuoteflowError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** One or more environment variables are invalid; the message names every one of them. */
export class ConfigError extends QuoteflowError {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
  }
}

/** Why a message can never be processed, as a word for code (metrics); `reason` says it for people. */
export type PoisonKind = 'not_json' | 'unsupported_version' | 'invalid_message';

/** A queue message that can never be processed (not JSON, unknown schema version, invalid quote). */
export class PoisonMessageError extends QuoteflowError {
  constructor(
    readonly kind: PoisonKind,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`poison message: ${reason}`, options);
  }
}
