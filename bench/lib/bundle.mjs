// The web app's first-load weight (pure functions over a build directory, unit-tested): what a
// browser must fetch for a page before the app can start, each file gzipped as a server would send it.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { replaceMarkedSection, sectionMarkers } from './compare.mjs';

/** The budget from issue 6: the HTML, JS and CSS of the first load, gzipped, at most 150 kB. */
export const FIRST_LOAD_BUDGET_BYTES = 150_000;

const attr = (tag, name) => new RegExp(`\\b${name}\\s*=\\s*("([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i').exec(tag)?.slice(2).find((v) => v !== undefined);

/**
 * URLs the HTML makes the browser load at once: <script src>, <link rel=modulepreload|stylesheet|preload>
 * and the modules its inline scripts import() straight away (SvelteKit's bootstrap imports its
 * entry points that way). Icons, images and fonts are not counted: the budget is HTML, JS and CSS.
 */
export function htmlReferences(html) {
  const urls = [];
  for (const [tag] of html.matchAll(/<script\b[^>]*>/gi)) {
    const src = attr(tag, 'src');
    if (src) urls.push(src);
  }
  for (const [tag] of html.matchAll(/<link\b[^>]*>/gi)) {
    const rel = (attr(tag, 'rel') ?? '').toLowerCase().split(/\s+/);
    const as = (attr(tag, 'as') ?? '').toLowerCase();
    const href = attr(tag, 'href');
    if (href && (rel.includes('modulepreload') || rel.includes('stylesheet') || (rel.includes('preload') && ['script', 'style'].includes(as)))) urls.push(href);
  }
  for (const [, body] of html.matchAll(/<script\b(?![^>]*\bsrc\s*=)[^>]*>([\s\S]*?)<\/script>/gi)) {
    for (const [, , url] of body.matchAll(/\bimport\s*\(\s*(["'`])([^"'`]+)\1\s*\)/g)) urls.push(url);
  }
  return urls;
}

/**
 * The modules a JS file imports statically (`import … from "x"`, `import "x"`, `export … from "x"`):
 * the browser fetches them before the file runs. Dynamic import() is lazy (a route's page code,
 * loaded when the router needs it) and is left out. CSS `@import` is followed likewise.
 */
export function staticImports(code, kind) {
  if (kind === 'css') return [...code.matchAll(/@import\s+(?:url\()?\s*["']?([^"')\s;]+)["']?\s*\)?/g)].map((m) => m[1]);
  const specifiers = [];
  // After start of input or a statement boundary (so `x.import(` does not count); the clause between
  // the keyword and `from` is matched piece by piece (braces, `* as x`, a default name), never by a
  // loose repetition, so a large minified chunk cannot make the pattern backtrack for ever.
  const clause = String.raw`(?:\{[^{}]*\}|\*(?:\s*as\s+[\w$]+)?|[\w$]+(?:\s*,\s*(?:\{[^{}]*\}|\*\s*as\s+[\w$]+))?)`;
  const statement = new RegExp(String.raw`(?:^|[;}\s)])(?:import|export)\s*(?:${clause}\s*from\s*)?(["'])([^"'\n]+)\1`, 'g');
  for (const [, , specifier] of code.matchAll(statement)) specifiers.push(specifier);
  return specifiers;
}

const kindOf = (file) => (file.endsWith('.css') ? 'css' : file.endsWith('.html') ? 'html' : 'js');

/**
 * Measures a page's first load in a static build: `htmlFile` (what the server answers for the page;
 * a single-page app answers index.html for every path) plus every JS and CSS file its tags reference,
 * followed through static imports. Each file is gzipped on its own with node:zlib (default level, as
 * servers compress). Throws when a reference points at a file that is not in the build.
 * Returns { files: [{ file, kind, bytes, gzip }] (HTML first, then in discovery order), bytes, gzip }.
 */
export function measureFirstLoad(buildDir, htmlFile = 'index.html') {
  const root = path.resolve(buildDir);
  const files = [];
  const seen = new Set();
  const add = (absolute) => {
    const content = readFileSync(absolute);
    const entry = { file: path.relative(root, absolute).split(path.sep).join('/'), kind: kindOf(absolute), bytes: content.length, gzip: gzipSync(content).length };
    files.push(entry);
    return content.toString('utf8');
  };
  /** A URL as the browser resolves it against the referring file's URL, then as a path in the build. */
  const resolveUrl = (url, fromFile) => {
    if (/^(?:[a-z][a-z0-9+.-]*:|\/\/)/i.test(url)) return undefined; // another origin or a data: URL: not ours to count
    const fromUrl = `/${path.relative(root, fromFile).split(path.sep).join('/')}`;
    const pathname = new URL(url, `http://build${fromUrl}`).pathname;
    const absolute = path.join(root, decodeURIComponent(pathname));
    if (!absolute.startsWith(root + path.sep)) throw new Error(`${url} (from ${fromUrl}) points outside the build`);
    if (!existsSync(absolute)) throw new Error(`${url} (from ${fromUrl}) is not in the build`);
    return absolute;
  };
  const visit = (absolute) => {
    if (seen.has(absolute)) return;
    seen.add(absolute);
    const kind = kindOf(absolute);
    const text = add(absolute);
    for (const url of staticImports(text, kind)) {
      const next = resolveUrl(url, absolute);
      if (next) visit(next);
    }
  };
  const html = path.join(root, htmlFile);
  seen.add(html);
  const text = add(html);
  for (const url of htmlReferences(text)) {
    const next = resolveUrl(url, html);
    if (next) visit(next);
  }
  return { files, bytes: sum(files, 'bytes'), gzip: sum(files, 'gzip') };
}

const sum = (files, key) => files.reduce((total, f) => total + f[key], 0);

/** The `n` largest files by gzip size (ties: by name), largest first. */
export function largest(files, n = 5) {
  return [...files].sort((a, b) => b.gzip - a.gzip || a.file.localeCompare(b.file)).slice(0, n);
}

const kB = (bytes) => `${(bytes / 1000).toFixed(1)} kB`;

/**
 * The BENCHMARKS.md section. `data`: { date, commit, page, measured (measureFirstLoad's result),
 * wholeBuild ({ files, bytes, gzip } of every JS and CSS file in the build), budget }.
 */
export function renderBundleSection({ date, commit, page, measured, wholeBuild, budget = FIRST_LOAD_BUDGET_BYTES }) {
  const within = measured.gzip <= budget;
  const lines = [
    BUNDLE_START,
    `## Web app first load: ${page}`,
    '',
    '_Generated by bench/bundle/run.mjs (part of `npm run bench`; alone: `npm run bench:bundle -w bench` after a build)._',
    '',
    `- Date: ${date}; commit: ${commit}`,
    `- What is counted: the HTML the server answers for \`${page}\` (the single-page app's index.html), every JS and CSS file its ` +
      '`<script src>`, `<link rel="modulepreload">` and `<link rel="stylesheet">` tags and bootstrap `import()`s name, and the modules ' +
      'those import statically. Each file gzipped on its own (node:zlib, default level). 1 kB = 1,000 bytes.',
    "- Not counted: code the router imports lazily once it runs (the route's own page and layout chunks), fonts, images and API calls.",
    '',
    '| | raw | gzip | budget |',
    '| --- | ---: | ---: | ---: |',
    `| **first load** (${measured.files.length} files) | ${kB(measured.bytes)} | **${kB(measured.gzip)}** | ≤ ${kB(budget)} |`,
    `| whole build: every JS and CSS file (${wholeBuild.files.length} files; an upper bound for any page) | ${kB(wholeBuild.bytes)} | ${kB(wholeBuild.gzip)} | |`,
    '',
    within
      ? `**Within budget**: ${kB(measured.gzip)} of ${kB(budget)} (${((100 * measured.gzip) / budget).toFixed(0)} %).`
      : `**Over budget** by ${kB(measured.gzip - budget)}: ${kB(measured.gzip)} against ${kB(budget)}.`,
    '',
    '### Largest files of the first load (gzip)',
    '',
    '| file | kind | raw | gzip |',
    '| --- | --- | ---: | ---: |',
    ...largest(measured.files).map((f) => `| \`${f.file}\` | ${f.kind} | ${kB(f.bytes)} | ${kB(f.gzip)} |`),
    BUNDLE_END,
  ];
  return `${lines.join('\n')}\n`;
}

export const { start: BUNDLE_START, end: BUNDLE_END } = sectionMarkers('bundle');

/** BENCHMARKS.md with the bundle section replaced (or appended when there is none yet). */
export function withBundleSection(markdown, section) {
  return replaceMarkedSection(markdown, 'bundle', section);
}
