import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compareTargets, renderComparison, replaceMarkedSection, replaceSection, roundOrder, sectionMarkers } from '../lib/compare.mjs';
import { selectScenarios } from '../run.mjs';

const run = (requestsPerSec, p50 = 5, p99 = 20) => ({ requestsPerSec, p50, p99, requests: requestsPerSec * 5 });
const targets = [
  { key: 'app', label: 'app', runs: [run(1000), run(1200), run(1100)] },
  { key: 'raw', label: 'raw same SQL', runs: [run(1000), run(1000), run(1000)] },
  { key: 'peer', label: 'Express + Drizzle', runs: [run(400), run(500), run(600)] },
];

test('each round rotates the order, so every target leads once in three rounds', () => {
  const firsts = [0, 1, 2].map((r) => roundOrder(targets, r)[0].key);
  assert.deepEqual(firsts.sort(), ['app', 'peer', 'raw']);
  assert.deepEqual(roundOrder(targets, 1).map((t) => t.key), ['raw', 'peer', 'app']);
});

test('ratios are of the medians', () => {
  const { summaries, ratio } = compareTargets(targets);
  assert.equal(summaries.app.requestsPerSec, 1100);
  assert.equal(ratio('app', 'raw'), 1.1);
  assert.equal(ratio('app', 'peer'), 2.2);
});

test('the section lists each target with its ratio, says which goal was missed, and keeps every run', () => {
  const md = renderComparison({
    heading: '## Hot read',
    machine: { date: 'd', commit: 'abc', cpus: 2, os: 'Linux', node: 'v24', postgres: '17', loadBefore: 3.5, loadAfter: 4 },
    targets,
    goals: [
      { target: 'raw', atLeast: 0.9 },
      { target: 'peer', atLeast: 3 },
    ],
  });
  assert.match(md, /^## Hot read\n/);
  assert.match(md, /\| raw same SQL \| 1,000 \| .* \| \*\*1\.10×\*\* \|/);
  assert.match(md, /- met: app ≥ 0\.9× raw same SQL — 1\.10×/);
  assert.match(md, /- \*\*MISSED\*\*: app ≥ 3× Express \+ Drizzle — 2\.20×/);
  assert.match(md, /busy machine/);
  assert.equal(md.match(/^\| (app|raw|peer) \| \d \|/gm).length, 9);
});

test('replaceSection swaps only its own section, or appends it', () => {
  const doc = '# Benchmarks\n\n## A\n\nold a\n\n## B\n\nb\n';
  assert.equal(replaceSection(doc, '## A', '## A\n\nnew a\n'), '# Benchmarks\n\n## A\n\nnew a\n\n## B\n\nb\n');
  assert.equal(replaceSection(doc, '## B', '## B\n\nnew b\n'), '# Benchmarks\n\n## A\n\nold a\n\n## B\n\nnew b\n');
  assert.equal(replaceSection(doc, '## C', '## C\n\nc\n'), `${doc}\n## C\n\nc\n`);
  assert.equal(replaceSection('', '## C', '## C\n'), '# Benchmarks\n\n## C\n');
  // A section followed by one that keeps its own markers stops before the next one's start marker.
  const marked = '# Benchmarks\n\n## A\n\nold a\n\n<!-- bench:m:start -->\n## M\n\nm\n<!-- bench:m:end -->\n';
  assert.equal(replaceSection(marked, '## A', '## A\n\nnew a\n'), '# Benchmarks\n\n## A\n\nnew a\n\n<!-- bench:m:start -->\n## M\n\nm\n<!-- bench:m:end -->\n');
});

test('the runner selects every scenario by default, the named ones otherwise, and refuses unknown names', () => {
  assert.ok(selectScenarios([]).includes('hot') && selectScenarios([]).includes('peaks'));
  assert.deepEqual(selectScenarios(['hot', '--no-build']), ['hot']);
  assert.throws(() => selectScenarios(['nope']), /unknown scenario/);
});

test('replaceMarkedSection swaps only the text between its own markers, or appends it', () => {
  const { start, end } = sectionMarkers('m');
  const doc = `# Benchmarks\n\n${start}\n## M\n\nold\n${end}\n\n## After\n\nkept\n`;
  const fresh = `${start}\n## M\n\nnew\n${end}\n`;
  assert.equal(replaceMarkedSection(doc, 'm', fresh), `# Benchmarks\n\n${fresh}\n## After\n\nkept\n`);
  assert.equal(replaceMarkedSection('# Benchmarks\n\n## Other\n', 'm', fresh), `# Benchmarks\n\n## Other\n\n${fresh}`);
  // Another section's markers are not this one's.
  const other = sectionMarkers('n');
  const withOther = `# Benchmarks\n\n${other.start}\nn\n${other.end}\n`;
  assert.equal(replaceMarkedSection(withOther, 'm', fresh), `${withOther}\n${fresh}`);
});
