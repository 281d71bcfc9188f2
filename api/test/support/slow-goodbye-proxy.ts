import net from 'node:net';

/** A PostgreSQL frontend Terminate message ('X', length 4): what a client sends to hang up. */
const TERMINATE = Buffer.from([0x58, 0, 0, 0, 4]);

export interface SlowGoodbyeProxy {
  /** `serverUrl` with its host and port replaced by the proxy's. */
  url: string;
  /** Changes how long goodbyes are held from now on (a test of a socket that outlives the close timeout). */
  setDelay(delayMs: number): void;
  close(): Promise<void>;
}

/**
 * A TCP proxy in front of PostgreSQL that passes everything through at once, except a client's
 * goodbye (Terminate, then its half-close), which it holds for `delayMs`. The server's backend
 * therefore lives on for that long after the client has asked it to go, as it may on a busy
 * server: a test can then tell "asked to close" from "closed" without racing the server.
 */
export async function startSlowGoodbyeProxy(serverUrl: string, delayMs: number): Promise<SlowGoodbyeProxy> {
  const target = new URL(serverUrl);
  const sockets = new Set<net.Socket>();
  let delay = delayMs;
  const held = new Set<NodeJS.Timeout>();
  const hold = (fn: () => void) => {
    const timer = setTimeout(() => {
      held.delete(timer);
      fn();
    }, delay);
    held.add(timer);
  };
  // Half-open both ways: the client's half-close must not close its socket before the server has gone.
  const server = net.createServer({ allowHalfOpen: true }, (client) => {
    const upstream = net.connect({ port: Number(target.port || 5432), host: target.hostname, allowHalfOpen: true });
    sockets.add(client).add(upstream);
    let goodbye = false;
    const later = (fn: () => void) => (goodbye ? hold(fn) : fn());
    client.on('data', (chunk) => {
      if (chunk.length >= TERMINATE.length && chunk.subarray(chunk.length - TERMINATE.length).equals(TERMINATE)) {
        goodbye = true;
      }
      later(() => upstream.write(chunk));
    });
    client.on('end', () => later(() => upstream.end()));
    upstream.pipe(client);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', drop).on('close', () => later(drop));
    upstream.on('error', drop).on('close', drop);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  const url = new URL(serverUrl);
  url.hostname = '127.0.0.1';
  url.port = String(port);
  return {
    url: url.toString(),
    setDelay: (ms) => {
      delay = ms;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of held) clearTimeout(timer);
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
