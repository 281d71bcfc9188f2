// Child-process and port helpers for the bench harness.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** A free TCP port on 127.0.0.1 (asked from the OS, then released). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

const children = new Set();

/**
 * Spawn a long-running child. Its output is kept (last `keepLines` lines) so
 * that a failure can show it; with `echo` it is also forwarded with a prefix.
 */
export function startChild(name, command, args, { cwd, env, echo = false, keepLines = 200 } = {}) {
  const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines = [];
  const onData = (chunk) => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (!line) continue;
      lines.push(line);
      if (lines.length > keepLines) lines.shift();
      if (echo) process.stderr.write(`[${name}] ${line}\n`);
    }
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const exited = new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      children.delete(handle);
      resolve({ code, signal });
    });
    child.on('error', (err) => {
      lines.push(`spawn error: ${err.message}`);
      children.delete(handle);
      resolve({ code: null, signal: null, error: err });
    });
  });
  const handle = { name, child, exited, output: () => lines.join('\n'), running: () => child.exitCode === null && child.signalCode === null };
  children.add(handle);
  return handle;
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves once the child is gone. */
export async function stopChild(handle, graceMs = 5000) {
  if (!handle || !handle.running()) return;
  handle.child.kill('SIGTERM');
  const timer = setTimeout(() => handle.running() && handle.child.kill('SIGKILL'), graceMs);
  await handle.exited;
  clearTimeout(timer);
}

export const stopAllChildren = () => Promise.all([...children].map((h) => stopChild(h)));

/** Synchronous last resort (signal handlers): SIGKILL whatever is left. */
export function killAllChildrenNow() {
  for (const h of children) {
    try {
      h.child.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
}

/**
 * Poll `url` until it answers `status`, the child dies, or `timeoutMs` passes.
 * Bounded in time and count.
 */
export async function waitForHttp(url, { status = 200, timeoutMs = 60_000, intervalMs = 250, child } = {}) {
  const deadline = Date.now() + timeoutMs;
  const maxAttempts = Math.ceil(timeoutMs / intervalMs) + 1;
  let last = 'no answer';
  for (let attempt = 0; attempt < maxAttempts && Date.now() < deadline; attempt++) {
    if (child && !child.running()) {
      throw new Error(`${child.name} exited before ${url} was ready:\n${child.output()}`);
    }
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      await res.arrayBuffer();
      if (res.status === status) return;
      last = `HTTP ${res.status}`;
    } catch (err) {
      last = err.cause?.code ?? err.message;
    }
    await sleep(intervalMs);
  }
  const tail = child ? `\n--- ${child.name} output ---\n${child.output()}` : '';
  throw new Error(`${url} not ready after ${timeoutMs} ms (last: ${last})${tail}`);
}

/** Run a command to completion with a hard time limit; resolves { code, stdout, stderr }. */
export function runToCompletion(command, args, { cwd, env, timeoutMs }) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const handle = {
      name: command,
      child,
      exited: new Promise((done) => child.on('close', done)),
      running: () => child.exitCode === null && child.signalCode === null,
    };
    children.add(handle);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    const timer = setTimeout(() => {
      stderr += `\n(killed after ${timeoutMs} ms)`;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      children.delete(handle);
      reject(err);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      children.delete(handle);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** Runs a command with this process's stdio, forwarding Ctrl-C and SIGTERM to it; resolves its exit code. */
export function runInherited(command, args, { cwd, env = process.env }) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, stdio: 'inherit', env });
    const forward = (signal) => child.kill(signal);
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    child.on('exit', (code, signal) => {
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
      resolve(code ?? (signal ? 1 : 0));
    });
  });
}
