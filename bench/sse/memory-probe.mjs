// Preloaded into the app by the `sse` scenario (node --expose-gc --import): on SIGUSR2 it collects garbage
// and writes process.memoryUsage() to BENCH_MEMORY_FILE, so the bench reads the app's own heap and RSS
// after a full GC without any route for it in the API.
import { renameSync, writeFileSync } from 'node:fs';

let sequence = 0;
process.on('SIGUSR2', () => {
  globalThis.gc?.();
  globalThis.gc?.();
  const file = process.env.BENCH_MEMORY_FILE;
  // Written aside and renamed: the bench never reads half a file.
  writeFileSync(`${file}.tmp`, JSON.stringify({ sequence: ++sequence, gc: typeof globalThis.gc === 'function', ...process.memoryUsage() }));
  renameSync(`${file}.tmp`, file);
});
