import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * `npm run mutate` copies api/ into a sandbox minus Stryker's ignorePatterns (gitignore-style). An
 * unanchored pattern matches a file or folder of that name at any depth: 'reports' (meant for
 * api/reports, Stryker's own output) once dropped src/reports, and every mutation run failed before
 * testing a single mutant. No database; it only reads the config and the tree.
 */
describe('mutation testing config (npm run mutate)', () => {
  const api = join(dirname(fileURLToPath(import.meta.url)), '..');

  const namesUnder = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) => [e.name, ...(e.isDirectory() ? namesUnder(join(dir, e.name)) : [])]);

  it('ignores no source or test file: every ignore pattern is anchored, or matches no name under src/ and test/', async () => {
    const config = (await import(join(api, 'stryker.config.mjs'))).default as { ignorePatterns: string[] };
    const names = new Set([...namesUnder(join(api, 'src')), ...namesUnder(join(api, 'test'))]);
    const dropping = config.ignorePatterns.filter((p) => !p.startsWith('/') && names.has(p.replace(/\/$/, '')));
    expect(dropping).toEqual([]);
  });
});
