import { spawn } from 'node:child_process';

/**
 * Runs `script` with `node -e` in a fresh process (a cold Lambda container, say) and answers the
 * first stdout line starting with `marker`, without the marker; rejects with the end of stderr.
 */
export function runNodeScript(script: string, options: { cwd: string; env: NodeJS.ProcessEnv; marker: string; what: string }): Promise<string> {
  return new Promise((resolveLine, reject) => {
    const child = spawn(process.execPath, ['--disable-warning=NodeVersionSupportWarning', '-e', script], {
      cwd: options.cwd,
      env: options.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('exit', (code) => {
      const line = out.split('\n').find((l) => l.startsWith(options.marker));
      if (code === 0 && line) resolveLine(line.slice(options.marker.length));
      else reject(new Error(`${options.what} failed (exit ${code}): ${err.slice(-3000)}`));
    });
  });
}
