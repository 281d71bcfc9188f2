/** A parsed Prometheus text exposition (issue 8, ops-deploy): series, and the metric families declared. */
export interface Series {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const SERIES = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

export function parseExposition(text: string): { series: Series[]; families: Map<string, string> } {
  const series: Series[] = [];
  const families = new Map<string, string>();
  for (const line of text.split('\n')) {
    const type = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (type) families.set(type[1], type[2]);
    if (!line || line.startsWith('#')) continue;
    const match = SERIES.exec(line);
    if (!match) throw new Error(`not an exposition line: ${line}`);
    const labels: Record<string, string> = {};
    for (const [, key, value] of (match[2] ?? '').matchAll(LABEL)) labels[key] = value.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
    series.push({ name: match[1], labels, value: Number(match[3]) });
  }
  return { series, families };
}

/** The series of `name` whose labels include `labels`. */
export function seriesOf(text: string, name: string, labels: Record<string, string> = {}): Series[] {
  return parseExposition(text).series.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
}

/** The value of the one series of `name` with `labels`; throws when there is none or several. */
export function valueOf(text: string, name: string, labels: Record<string, string> = {}): number {
  const found = seriesOf(text, name, labels);
  if (found.length !== 1) throw new Error(`${found.length} series of ${name} ${JSON.stringify(labels)}`);
  return found[0].value;
}

/**
 * Every name a PromQL expression or dashboard may use for what the app exports: each family, and
 * for histograms and summaries their _bucket/_sum/_count series.
 */
export function exportedNames(text: string): Set<string> {
  const names = new Set<string>();
  for (const [family, type] of parseExposition(text).families) {
    names.add(family);
    if (type === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) names.add(family + suffix);
    if (type === 'summary') for (const suffix of ['_sum', '_count']) names.add(family + suffix);
  }
  return names;
}
