import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { folderCycleReport } from './folder-cycles';

/** A throw-away tree: path → source. */
function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'folder-cycles-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

describe('folder cycle check', () => {
  const roots: string[] = [];
  afterAll(() => roots.forEach((root) => rmSync(root, { recursive: true, force: true })));
  const make = (files: Record<string, string>) => {
    const root = tree(files);
    roots.push(root);
    return root;
  };

  it('finds two folders that import each other through different files (no file cycle)', () => {
    const root = make({
      'apps/one/src/a/x.ts': "import { y } from '../b/y';\nexport const x = y;\n",
      'apps/one/src/a/z.ts': 'export const z = 1;\n',
      'apps/one/src/b/y.ts': "export const y = 2;\n",
      'apps/one/src/b/w.ts': "import { z } from '../a/z';\nexport const w = z;\n",
    });

    expect(folderCycleReport(root, []).problems).toEqual(['folders that import each other: apps/one/src/a -> apps/one/src/b, apps/one/src/b -> apps/one/src/a']);
  });

  it('finds a cycle through three folders, and none in a layered tree or through the app root', () => {
    const cyclic = make({
      'apps/one/src/a/x.ts': "import '../b/y';\n",
      'apps/one/src/b/y.ts': "import '../c/z';\n",
      'apps/one/src/c/z.ts': "import '../a/x';\n",
    });
    const layered = make({
      'apps/one/src/one.module.ts': "import './a/x';\nimport './b/y';\n",
      'apps/one/src/a/x.ts': "import '../b/y';\nimport '../one.config';\n",
      'apps/one/src/b/y.ts': "import '../one.config';\nimport '@app/common';\n",
      'apps/one/src/one.config.ts': 'export {};\n',
    });

    expect(folderCycleReport(cyclic, []).problems).toHaveLength(1);
    expect(folderCycleReport(layered, []).problems).toEqual([]);
  });

  it('sets a known pair aside, and says when a known pair no longer imports each other', () => {
    const root = make({
      'apps/one/src/a/x.ts': "import '../b/y';\n",
      'apps/one/src/b/y.ts': "import '../a/x';\n",
    });
    const known = [
      { folders: ['apps/one/src/a', 'apps/one/src/b'], reason: 'test' },
      { folders: ['apps/one/src/a', 'apps/one/src/c'], reason: 'test' },
    ];

    expect(folderCycleReport(root, known)).toEqual({ problems: [], stale: ['apps/one/src/a <-> apps/one/src/c'] });
  });

  it('finds no folder cycle in this tree beyond the known ones', () => {
    expect(folderCycleReport(resolve(__dirname, '../..')).problems).toEqual([]);
  });
});
