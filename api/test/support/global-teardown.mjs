export default async function globalTeardown() {
  await globalThis.__RSM_PG__?.stop();
}
