import { createServer } from 'node:http';
import { createRequire } from 'node:module';

// The official SDK, resolved from the api workspace (the product's own copy).
const requireFromApi = createRequire(new URL('../../../api/package.json', import.meta.url));
export const Stripe = requireFromApi('stripe');

export function sdkFor(fake, key = 'sk_test_fake') {
  const { hostname, port, protocol } = new URL(fake.url);
  return new Stripe(key, { host: hostname, port: Number(port), protocol: protocol.replace(':', ''), maxNetworkRetries: 0 });
}

/** A webhook receiver: keeps each request's raw body and Stripe-Signature header. */
export async function startReceiver(status = 200) {
  const received = [];
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      received.push({ path: req.url, body: Buffer.concat(chunks).toString('utf8'), signature: req.headers['stripe-signature'] });
      res.writeHead(status).end('{}');
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${server.address().port}`;
  return { url, received, close: () => new Promise((resolve) => server.close(resolve)) };
}
