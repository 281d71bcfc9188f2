// Drives a URL with the autocannon CLI in its own process (-j JSON output).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { runToCompletion } from './proc.mjs';

/** node_modules/.bin/autocannon, looked up from `fromDir` upwards (workspace or root install). */
export function autocannonBin(fromDir) {
  let dir = fromDir;
  for (let i = 0; i < 6; i++) {
    const candidate = path.join(dir, 'node_modules', '.bin', 'autocannon');
    if (existsSync(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  throw new Error(`autocannon CLI not found in node_modules/.bin above ${fromDir}`);
}

/**
 * One autocannon run. Returns the numbers the report needs; throws when the
 * run saw errors, timeouts or non-2xx answers (a bench of 401s is no bench).
 */
export async function runAutocannon({ bin, url, headers = {}, connections, duration, cwd }) {
  const target = new URL(url);
  if (target.hostname !== '127.0.0.1') throw new Error(`refusing to load anything but 127.0.0.1: ${url}`);
  const args = ['-j', '-c', String(connections), '-d', String(duration), '-t', '10'];
  for (const [name, value] of Object.entries(headers)) args.push('-H', `${name}=${value}`);
  args.push(url);
  const { code, signal, stdout, stderr } = await runToCompletion(bin, args, {
    cwd,
    env: { ...process.env, NO_COLOR: '1' },
    timeoutMs: (duration + 30) * 1000,
  });
  if (code !== 0) throw new Error(`autocannon exited with ${code ?? signal}: ${stderr.trim()}`);
  const line = stdout.trim().split('\n').filter(Boolean).pop();
  let result;
  try {
    result = JSON.parse(line);
  } catch {
    throw new Error(`autocannon printed no JSON result: ${stdout.slice(0, 500)} ${stderr.slice(0, 500)}`);
  }
  const run = summarizeAutocannon(result);
  if (run.requests === 0 || run.non2xx > 0 || run.errors > 0 || run.timeouts > 0) {
    throw new Error(
      `autocannon run against ${url} was not clean: ${run.requests} requests, ${run.non2xx} non-2xx, ` +
        `${run.errors} errors, ${run.timeouts} timeouts`,
    );
  }
  return run;
}

/** The figures the reports use from an autocannon result (the CLI's -j JSON, or the programmatic API's result). */
export function summarizeAutocannon(result) {
  return {
    requestsPerSec: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    latencyAvg: result.latency.average,
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    bytesPerSec: result.throughput.average,
    duration: result.duration,
  };
}
