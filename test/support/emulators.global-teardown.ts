import type { ChildProcess } from 'node:child_process';
import { findSecretsInCapturedLogs } from './log-capture';

export default async function globalTeardown(): Promise<void> {
  await stopEmulators();
  auditCapturedLogs();
}

/** Fails the test run when any captured log line contains a test secret (the key must never be logged). */
function auditCapturedLogs(): void {
  const { leaks, lines, files } = findSecretsInCapturedLogs();
  if (leaks.length) {
    throw new Error(`log audit: ${leaks.length} captured log line(s) contain a test secret:\n${leaks.slice(0, 20).join('\n')}`);
  }
  process.stderr.write(`log audit: ${lines} captured log lines in ${files} files, none contains a test secret\n`);
}

async function stopEmulators(): Promise<void> {
  const child = (globalThis as { __emulators?: ChildProcess }).__emulators;
  if (!child || child.exitCode !== null) return;
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}
