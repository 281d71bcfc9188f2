import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/** The kernel's ephemeral range (Linux's default when /proc cannot be read). */
function ephemeralRange(): [number, number] {
  try {
    const [low, high] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    if (low > 0 && high >= low) return [low, high];
  } catch {
    // not Linux
  }
  return [32768, 60999];
}

const bindable = (port: number) =>
  new Promise<boolean>((res) => {
    const server = createServer().once('error', () => res(false));
    server.listen(port, '127.0.0.1', () => server.close(() => res(true)));
  });

/**
 * A free port for a child process to bind a moment later. Not one the kernel picked (`listen(0)`): those
 * come from the ephemeral range, where any outgoing connection of a parallel test (thousands of pg and
 * HTTP connections) may take it before the child binds — seen in CI as EADDRINUSE on `npm start`'s port.
 * A random port below that range, checked bindable, is never handed out by the kernel.
 */
export async function childPort(): Promise<number> {
  const [low] = ephemeralRange();
  const floor = 20_000;
  const span = Math.max(1_000, low - floor);
  for (let attempt = 0; attempt < 100; attempt++) {
    const port = floor + Math.floor(Math.random() * span);
    if (await bindable(port)) return port;
  }
  throw new Error('childPort: no free port found below the ephemeral range');
}
