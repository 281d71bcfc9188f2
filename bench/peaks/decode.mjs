#!/usr/bin/env node
// One measured run in its own process (so its RSS is its own): streams `file` from disk through
// computePeaks (api/dist) — or, with type `raw`, only reads it (the disk + stream baseline) — sampling
// RSS every 20 ms. Prints one JSON line: { seconds, bytes, rssStartMB, rssMaxMB, durationSeconds, peaks }.
import { createReadStream, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const [file, type] = process.argv.slice(2);
const rootDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const { computePeaks } = await import(pathToFileURL(path.join(rootDir, 'api/dist/files/peaks/compute-peaks.js')).href);

const mb = (n) => n / 1024 / 1024;
const rssStart = process.memoryUsage().rss;
let rssMax = rssStart;
const sampler = setInterval(() => (rssMax = Math.max(rssMax, process.memoryUsage().rss)), 20);
const started = process.hrtime.bigint();
let result = { durationSeconds: null, peaks: [] };
if (type === 'raw') {
  for await (const chunk of createReadStream(file)) void chunk;
} else {
  result = await computePeaks(createReadStream(file), type);
}
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
clearInterval(sampler);
rssMax = Math.max(rssMax, process.memoryUsage().rss);
process.stdout.write(`${JSON.stringify({ seconds, bytes: statSync(file).size, rssStartMB: mb(rssStart), rssMaxMB: mb(rssMax), durationSeconds: result.durationSeconds, peaks: result.peaks.length })}\n`);
