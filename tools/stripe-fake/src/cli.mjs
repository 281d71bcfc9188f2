#!/usr/bin/env node
// `npm run stripe:fake`: the local Stripe-compatible server, configured from the environment (README.md).
import { startStripeFake } from './index.mjs';

const env = process.env;
const endpoint = (url, secret) => (url && secret ? { url, secret } : undefined);
const fake = await startStripeFake({
  port: Number(env.STRIPE_FAKE_PORT ?? 12111),
  publicUrl: env.STRIPE_FAKE_PUBLIC_URL,
  secretKey: env.STRIPE_SECRET_KEY,
  webhooks: {
    platform: endpoint(env.STRIPE_FAKE_WEBHOOK_URL ?? 'http://127.0.0.1:3000/api/v1/webhooks/stripe', env.STRIPE_WEBHOOK_SECRET),
    connect: endpoint(env.STRIPE_FAKE_CONNECT_WEBHOOK_URL ?? 'http://127.0.0.1:3000/api/v1/webhooks/stripe/connect', env.STRIPE_CONNECT_WEBHOOK_SECRET),
  },
  log: (line) => console.error(line),
});
console.log(`Local Stripe server listening on ${fake.url} (STRIPE_API_BASE=${fake.url})`);
for (const [kind, target] of Object.entries(fake.webhooks.endpoints)) {
  console.log(`  ${kind} webhooks → ${target ? target.url : 'not sent (set the secret, see tools/stripe-fake/README.md)'}`);
}
const stop = () => fake.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
