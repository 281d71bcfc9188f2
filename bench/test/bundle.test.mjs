import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { htmlReferences, largest, measureFirstLoad, renderBundleSection, staticImports, withBundleSection } from '../lib/bundle.mjs';

/**
 * A small build shaped like SvelteKit's: an index.html with modulepreload and stylesheet tags and a
 * bootstrap script that import()s the entry; chunks that import each other statically (one of them
 * reached only that way), a route chunk imported lazily and an unreferenced file (neither counted).
 */
let dir;
/** Text that gzip cannot shrink much (a repeated letter would compress to almost nothing). */
const noise = (n, seed) => Array.from({ length: n }, (_, i) => ((i * 7919 + seed) % 10007).toString(36)).join('');
const FILES = {
  'index.html': `<!doctype html><html><head>
    <link rel="icon" href="/favicon.svg">
    <link href="/_app/entry/start.js" rel="modulepreload">
    <link rel="stylesheet" href='/_app/assets/app.css'>
    <link rel="preload" as="font" href="/_app/assets/font.woff2">
    <script type="module" src="/_app/entry/legacy.js"></script>
    <script src="https://cdn.example/not-ours.js"></script>
  </head><body><script>import("/_app/entry/app.js").then((m) => m.start());</script></body></html>`,
  '_app/entry/start.js': `import{a as b}from"../chunks/shared.js";import"../chunks/side-effect.js";export const start=()=>b;`,
  '_app/entry/app.js': `import * as kit from './start.js';export{x}from"../chunks/reexported.js";const lazy=()=>import("../nodes/route.js");async function later(){ await import("../nodes/route.js"); }`,
  '_app/entry/legacy.js': `console.log("legacy");`,
  '_app/chunks/shared.js': `export const a = ${JSON.stringify(noise(2000, 1))};`,
  '_app/chunks/side-effect.js': `window.s = 1;`,
  '_app/chunks/reexported.js': `import d from "./default-only.js";export const x = d;`,
  '_app/chunks/default-only.js': `export default ${JSON.stringify('abcdefghij'.repeat(300))};`,
  '_app/nodes/route.js': `export const page = ${JSON.stringify('lazy'.repeat(10000))};`,
  '_app/chunks/unused.js': `export const unused = 1;`,
  '_app/assets/app.css': `@import url("./more.css");body{color:red}`,
  '_app/assets/more.css': `p{margin:0}`,
  '_app/assets/font.woff2': 'not counted',
  'favicon.svg': '<svg/>',
};
const COUNTED = [
  'index.html',
  '_app/entry/start.js',
  '_app/chunks/shared.js',
  '_app/chunks/side-effect.js',
  '_app/assets/app.css',
  '_app/assets/more.css',
  '_app/entry/legacy.js',
  '_app/entry/app.js',
  '_app/chunks/reexported.js',
  '_app/chunks/default-only.js',
];

before(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'bench-bundle-'));
  for (const [file, content] of Object.entries(FILES)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), content);
  }
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('htmlReferences: script src, modulepreload, stylesheet and bootstrap import(); not icons, fonts or images', () => {
  assert.deepEqual(htmlReferences(FILES['index.html']), [
    '/_app/entry/legacy.js',
    'https://cdn.example/not-ours.js',
    '/_app/entry/start.js',
    '/_app/assets/app.css',
    '/_app/entry/app.js',
  ]);
});

test('staticImports: import/export … from, bare imports; never dynamic import()', () => {
  assert.deepEqual(staticImports(FILES['_app/entry/app.js'], 'js'), ['./start.js', '../chunks/reexported.js']);
  assert.deepEqual(staticImports(FILES['_app/entry/start.js'], 'js'), ['../chunks/shared.js', '../chunks/side-effect.js']);
  assert.deepEqual(staticImports('const s = "import x from"; obj.import("y"); x.export', 'js'), []);
  assert.deepEqual(staticImports(FILES['_app/assets/app.css'], 'css'), ['./more.css']);
});

test('staticImports stays fast on a large minified chunk with no imports (no runaway backtracking)', () => {
  const chunk = `var ${'a,'.repeat(50_000)}b;function f(){return{${'k as v,'.repeat(20_000)}}}`;
  assert.deepEqual(staticImports(chunk, 'js'), []);
});

test('measureFirstLoad counts the HTML and every file it loads, each gzipped on its own', () => {
  const measured = measureFirstLoad(dir);
  assert.deepEqual(measured.files.map((f) => f.file).sort(), [...COUNTED].sort());
  for (const f of measured.files) {
    const content = Buffer.from(FILES[f.file]);
    assert.deepEqual(f, { file: f.file, kind: f.file.endsWith('.html') ? 'html' : f.file.endsWith('.css') ? 'css' : 'js', bytes: content.length, gzip: gzipSync(content).length });
  }
  assert.equal(measured.files[0].file, 'index.html');
  assert.equal(measured.gzip, COUNTED.reduce((t, f) => t + gzipSync(Buffer.from(FILES[f])).length, 0));
  assert.equal(measured.bytes, COUNTED.reduce((t, f) => t + Buffer.byteLength(FILES[f]), 0));
});

test('measureFirstLoad refuses a reference to a file missing from the build', () => {
  writeFileSync(path.join(dir, 'broken.html'), '<link rel="modulepreload" href="/_app/chunks/gone.js">');
  assert.throws(() => measureFirstLoad(dir, 'broken.html'), /gone\.js .*not in the build/);
});

test('largest: the biggest files by gzip, largest first', () => {
  const files = [
    { file: 'a', gzip: 5 },
    { file: 'b', gzip: 50 },
    { file: 'c', gzip: 7 },
    { file: 'd', gzip: 50 },
    { file: 'e', gzip: 1 },
    { file: 'f', gzip: 9 },
  ];
  assert.deepEqual(largest(files).map((f) => f.file), ['b', 'd', 'f', 'c', 'a']);
});

test('renderBundleSection states the total against the budget and lists the five largest files; it replaces its own section', () => {
  const measured = measureFirstLoad(dir);
  const wholeBuild = { files: measured.files, bytes: measured.bytes, gzip: measured.gzip };
  const within = renderBundleSection({ date: 'D', commit: 'C', page: '/login', measured, wholeBuild, budget: 150_000 });
  assert.match(within, /\*\*Within budget\*\*/);
  assert.match(within, new RegExp(`\\*\\*${(measured.gzip / 1000).toFixed(1)} kB\\*\\* \\| ≤ 150\\.0 kB`));
  const rows = within.split('\n').filter((l) => l.startsWith('| `'));
  assert.equal(rows.length, 5);
  assert.match(rows[0], /_app\/chunks\/shared\.js/);
  // The budget is inclusive: exactly on it is within, one byte over is over.
  assert.match(renderBundleSection({ date: 'D', commit: 'C', page: '/login', measured, wholeBuild, budget: measured.gzip }), /\*\*Within budget\*\*/);
  const over = renderBundleSection({ date: 'D', commit: 'C', page: '/login', measured, wholeBuild, budget: measured.gzip - 1 });
  assert.match(over, /\*\*Over budget\*\* by 0\.0 kB/);

  const doc = withBundleSection('# Benchmarks\n\n## Other\n', within);
  assert.equal(withBundleSection(doc, over), `# Benchmarks\n\n## Other\n\n${over}`);
});
