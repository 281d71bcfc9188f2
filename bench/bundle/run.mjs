#!/usr/bin/env node
// Bench: the web app's first-load weight for /login (HTML + the JS and CSS it loads, gzip) against
// the 150 kB budget of issue 6, and its largest files. Writes (or replaces) its section of
// BENCHMARKS.md (`npm run bench -- bundle`). Needs the web build
// (web/build; `npm run build` at the root). Env: WEB_BUILD_DIR, BENCH_OUTPUT.
// Reports the budget, never fails on it: the figure is for people to act on.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { FIRST_LOAD_BUDGET_BYTES, largest, measureFirstLoad, renderBundleSection, withBundleSection } from '../lib/bundle.mjs';

const benchDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const rootDir = path.resolve(benchDir, '..');
const buildDir = path.resolve(rootDir, process.env.WEB_BUILD_DIR ?? 'web/build');
const output = path.resolve(rootDir, process.env.BENCH_OUTPUT ?? 'BENCHMARKS.md');
const log = (msg) => process.stderr.write(`[bench:bundle] ${msg}\n`);

if (!existsSync(path.join(buildDir, 'index.html'))) {
  log(`no web build in ${buildDir}: run \`npm run build\` first`);
  process.exit(1);
}

/** Every JS and CSS file of the build: what no single page can exceed. */
function wholeBuild(dir) {
  const files = [];
  const walk = (d) => {
    for (const name of readdirSync(d)) {
      const full = path.join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (/\.(m?js|css)$/.test(name)) {
        const content = readFileSync(full);
        files.push({ file: path.relative(dir, full), bytes: content.length, gzip: gzipSync(content).length });
      }
    }
  };
  walk(dir);
  return { files, bytes: files.reduce((t, f) => t + f.bytes, 0), gzip: files.reduce((t, f) => t + f.gzip, 0) };
}

let commit = 'unknown';
try {
  commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: rootDir, encoding: 'utf8' }).trim();
} catch {
  // not a git checkout
}

const measured = measureFirstLoad(buildDir, 'index.html');
const section = renderBundleSection({ date: new Date().toISOString(), commit, page: '/login', measured, wholeBuild: wholeBuild(buildDir), budget: FIRST_LOAD_BUDGET_BYTES });
writeFileSync(output, withBundleSection(existsSync(output) ? readFileSync(output, 'utf8') : '# Benchmarks\n', section));
const verdict = measured.gzip <= FIRST_LOAD_BUDGET_BYTES ? 'within' : 'OVER';
log(`/login first load: ${measured.files.length} files, ${(measured.gzip / 1000).toFixed(1)} kB gzip (${verdict} the ${FIRST_LOAD_BUDGET_BYTES / 1000} kB budget); largest: ${largest(measured.files, 3).map((f) => `${f.file} ${(f.gzip / 1000).toFixed(1)} kB`).join(', ')}; written to ${path.relative(process.cwd(), output)}`);
