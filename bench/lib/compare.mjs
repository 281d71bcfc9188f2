// Pure helpers of the interleaved comparisons (issue 14): run order, medians and ratios, and the
// BENCHMARKS.md section they become. Unit-tested in test/compare.test.mjs.
import { summarize } from './report.mjs';

/** Round `round`'s order: rotated each round, so no target always runs first (or right after a warm one). */
export function roundOrder(targets, round) {
  const n = targets.length;
  return targets.map((_, i) => targets[(i + round) % n]);
}

/** Median figures of each target, and each target's ratio to every other one (req/s: higher is better). */
export function compareTargets(targets) {
  const summaries = Object.fromEntries(targets.map((t) => [t.key, summarize(t.runs)]));
  const ratio = (a, b) => summaries[a].requestsPerSec / summaries[b].requestsPerSec;
  return { summaries, ratio };
}

const fmt = (n, digits = 0) =>
  Number.isFinite(n) ? n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : 'n/a';
const ms = (n) => `${fmt(n, n < 10 ? 2 : 1)} ms`;

/**
 * The markdown of one comparison: results table (median req/s, p50, p99, ratio of the first target to
 * each), the targets met or missed, and every raw run. `targets[0]` is the app.
 */
export function renderComparison({ heading, intro = [], machine, method = [], targets, goals = [], notes = [] }) {
  const { summaries, ratio } = compareTargets(targets);
  const [app] = targets;
  const lines = [heading, ''];
  lines.push(...intro, ...(intro.length ? [''] : []));
  lines.push(`- Date: ${machine.date}; commit: ${machine.commit ?? 'n/a'}`);
  lines.push(`- Machine: ${machine.cpus} cores${machine.cpuModel ? ` (${machine.cpuModel})` : ''}, ${machine.os}; Node.js ${machine.node}; PostgreSQL ${machine.postgres}`);
  lines.push(`- Load average (1 min) before / after: ${fmt(machine.loadBefore, 2)} / ${fmt(machine.loadAfter, 2)}${machine.loadBefore > machine.cpus / 2 ? ' — a busy machine: absolute figures are noisy; the ratios come from the same interleaved run' : ''}`);
  for (const m of method) lines.push(`- ${m}`);
  lines.push('');
  lines.push(`| target | req/s (median) | p50 | p99 | ${app.label} ÷ target |`);
  lines.push('| --- | ---: | ---: | ---: | ---: |');
  for (const t of targets) {
    const s = summaries[t.key];
    lines.push(`| ${t.label} | ${fmt(s.requestsPerSec)} | ${ms(s.p50)} | ${ms(s.p99)} | ${t === app ? '—' : `**${fmt(ratio(app.key, t.key), 2)}×**`} |`);
  }
  lines.push('');
  if (goals.length) {
    lines.push('Targets (issue 14):', '');
    for (const g of goals) {
      const value = ratio(app.key, g.target);
      lines.push(`- ${value >= g.atLeast ? 'met' : '**MISSED**'}: ${app.label} ≥ ${g.atLeast}× ${targets.find((t) => t.key === g.target)?.label ?? g.target} — ${fmt(value, 2)}×`);
    }
    lines.push('');
  }
  lines.push('<details><summary>Every run</summary>', '');
  lines.push('| target | run | req/s | p50 | p99 | requests |');
  lines.push('| --- | ---: | ---: | ---: | ---: | ---: |');
  for (const t of targets) t.runs.forEach((r, i) => lines.push(`| ${t.key} | ${i + 1} | ${fmt(r.requestsPerSec, 1)} | ${ms(r.p50)} | ${ms(r.p99)} | ${fmt(r.requests)} |`));
  lines.push('', '</details>', '');
  for (const n of notes) lines.push(`- ${n}`);
  if (notes.length) lines.push('');
  return `${lines.join('\n').trimEnd()}\n`;
}

/**
 * `document` with the section starting at `heading` (up to the next `## ` heading, or the next
 * `<!-- bench:…:start -->` marker of a section that keeps its own markers) replaced by `section`, or
 * `section` appended when there is none. Other sections are kept as they are: a section that ran over the
 * next one's start marker lost it, and that scenario then appended a second copy of itself at the end.
 */
export function replaceSection(document, heading, section) {
  const base = document || '# Benchmarks\n';
  const start = base.indexOf(`${heading}\n`);
  const body = section.endsWith('\n') ? section : `${section}\n`;
  if (start < 0) return `${base.trimEnd()}\n\n${body}`;
  const ends = ['\n## ', '\n<!-- bench:'].map((mark) => base.indexOf(mark, start + heading.length)).filter((at) => at >= 0);
  const next = ends.length ? Math.min(...ends) : -1;
  const rest = next < 0 ? '' : base.slice(next + 1);
  return `${base.slice(0, start)}${body}${rest ? `\n${rest}` : ''}`;
}

/** The start and end markers of a section that keeps its own markers (`<!-- bench:NAME:start -->` … `:end -->`). */
export const sectionMarkers = (name) => ({ start: `<!-- bench:${name}:start -->`, end: `<!-- bench:${name}:end -->` });

/**
 * `document` with the section between `name`'s markers replaced by `section` (which carries the markers
 * itself), or `section` appended after a blank line when the document has none yet.
 */
export function replaceMarkedSection(document, name, section) {
  const base = document || '# Benchmarks\n';
  const { start: START, end: END } = sectionMarkers(name);
  const start = base.indexOf(START);
  const end = base.indexOf(END);
  if (start !== -1 && end > start) return base.slice(0, start) + section + base.slice(end + END.length).replace(/^\n/, '');
  return `${base.replace(/\n*$/, '\n\n')}${section}`;
}
