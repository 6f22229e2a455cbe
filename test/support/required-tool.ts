import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** The first of `names` found as an executable on PATH, or `undefined`. */
export function onPath(...names: string[]): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter).filter(Boolean)) {
    for (const name of names) {
      try {
        accessSync(join(dir, name), constants.X_OK);
        return join(dir, name);
      } catch {
        // not in this directory
      }
    }
  }
  return undefined;
}

/**
 * `describe` for a suite that needs a program outside npm (Java, Chromium). Where it is missing the
 * suite is skipped with a message on a developer's machine, but **fails** on CI (`CI=true`): a CI
 * run that silently skips is a CI run that proves nothing.
 */
export function describeWithTool(tool: { name: string; available: boolean; install: string }, title: string, suite: () => void): void {
  if (tool.available) {
    describe(title, suite);
  } else if (process.env.CI === 'true') {
    describe(title, () => {
      it(`needs ${tool.name}, which is missing (CI=true, so this fails instead of skipping)`, () => {
        throw new Error(`${tool.name} is missing on this CI machine: ${tool.install} (.ci/run does it)`);
      });
    });
  } else {
    console.warn(`${title}: SKIPPED, ${tool.name} is missing (${tool.install}; on CI=true this fails)`);
    describe.skip(`${title} (SKIPPED: no ${tool.name})`, suite);
  }
}
