import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { CONFIG_VARIABLES } from '@app/common';

/**
 * The documentation is checked like code: the README stays an entry page, every relative link
 * (and its #anchor) resolves, every configuration variable and every npm script is documented.
 */
const root = resolve(__dirname, '../..');

function markdownFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return markdownFiles(path);
    return name.endsWith('.md') ? [path] : [];
  });
}

const files = [join(root, 'README.md'), ...markdownFiles(join(root, 'docs'))];

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to dashes; repeats get -1, -2. */
function anchorsOf(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  let fenced = false;
  for (const line of markdown.split('\n')) {
    if (line.startsWith('```')) fenced = !fenced;
    const heading = !fenced && /^#{1,6} (.*)$/.exec(line);
    if (!heading) continue;
    const base = heading[1].trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    anchors.add(n ? `${base}-${n}` : base);
  }
  return anchors;
}

/** Relative links outside code: `[text](target)`. */
function linksOf(markdown: string): string[] {
  const withoutCode = markdown.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
  return [...withoutCode.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]).filter((t) => !/^(https?:|mailto:)/.test(t));
}

describe('documentation', () => {
  it('keeps README.md an entry page of at most 300 lines', () => {
    const lines = readFileSync(join(root, 'README.md'), 'utf8').trimEnd().split('\n').length;

    expect(lines).toBeLessThanOrEqual(300);
  });

  it.each(files.map((f) => [relative(root, f), f]))('%s: every relative link and anchor resolves', (_name, file) => {
    const broken: string[] = [];
    for (const link of linksOf(readFileSync(file, 'utf8'))) {
      const [path, anchor] = link.split('#');
      const target = path ? resolve(dirname(file), decodeURIComponent(path)) : file;
      if (!existsSync(target)) broken.push(`${link} (no such file)`);
      else if (anchor && target.endsWith('.md') && !anchorsOf(readFileSync(target, 'utf8')).has(anchor)) broken.push(`${link} (no such heading)`);
    }

    expect(broken).toEqual([]);
  });

  it('documents every configuration variable in docs/configuration.md', () => {
    const doc = readFileSync(join(root, 'docs/configuration.md'), 'utf8');

    const missing = CONFIG_VARIABLES.filter((name) => !doc.includes(`\`${name}\``));

    expect(missing).toEqual([]);
  });

  it("lists every npm script in the README's command table", () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const scripts = Object.keys((JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts);
    const implicit = new Set(['start', 'test']); // `npm start` / `npm test`, no `run`

    const missing = scripts.filter((s) => !readme.includes(implicit.has(s) ? `\`npm ${s}` : `\`npm run ${s}`));

    expect(missing).toEqual([]);
  });
});
