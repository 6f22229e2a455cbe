/**
 * Node's process warnings (deprecations, the AWS SDK's notice about the Node version) as log lines
 * of the app instead of plain text on stderr, so that a JSON log stays JSON; start Node with
 * `--no-warnings` to drop its own copy. Call it first thing in `main.ts`: warnings emitted while the
 * app is being built are held until {@link HeldWarnings.logTo} names the logger.
 */
export function holdProcessWarnings(): HeldWarnings {
  const held: Error[] = [];
  let logger: { warn(message: string): void } | null = null;
  process.on('warning', (warning) => (logger ? logger.warn(describe(warning)) : held.push(warning)));
  return {
    logTo(target) {
      logger = target;
      for (const warning of held.splice(0)) target.warn(describe(warning));
    },
  };
}

export interface HeldWarnings {
  logTo(logger: { warn(message: string): void }): void;
}

function describe(warning: Error): string {
  return `${warning.name}: ${warning.message.replace(/\s+/g, ' ').trim()}`;
}
