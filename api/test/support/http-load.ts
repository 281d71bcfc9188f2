import type { TestApp } from './test-app.js';

/** Runs `tasks` with at most `concurrency` in flight; resolves with their results in order. */
export async function runConcurrently<T>(tasks: Array<() => Promise<T>>, concurrency: number): Promise<T[]> {
  const results = new Array<T>(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]();
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, tasks.length) }, worker));
  return results;
}

/** Reads one counter or gauge value from a Prometheus text exposition. */
export function metricValue(text: string, name: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  if (!line) throw new Error(`metric ${name} not found`);
  return Number(line.split(' ')[1]);
}

/** Reads one counter or gauge value from the app's /metrics. */
export async function metricOf(t: TestApp, name: string): Promise<number> {
  return metricValue((await t.http().get('/metrics').expect(200)).text, name);
}
