import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * A password derived from the master key for one purpose ("tenant-role:<organization id>",
 * "control-role"). Derived, not stored: nothing per tenant has to be kept, rotated or backed up
 * besides the master key, and one tenant's password says nothing about another's.
 */
export function derivedPassword(masterKey: string, purpose: string): string {
  return createHmac('sha256', masterKey).update(purpose).digest('base64url');
}

/**
 * Reads a secret kept in a file, creating it (random, mode 600) when missing. Returns the secret
 * and whether it was just created. Callers never log the value.
 */
export function readOrCreateSecretFile(file: string): { secret: string; created: boolean } {
  try {
    const secret = readFileSync(file, 'utf8').trim();
    if (secret) return { secret, created: false };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const secret = randomBytes(32).toString('base64url');
  writeSecretFile(file, secret);
  return { secret, created: true };
}

/**
 * Writes a secret to `file`, mode 600, atomically: a temp file beside it, then a rename. A crash
 * mid-write leaves the old file or none, never a truncated secret that would lock us out.
 */
export function writeSecretFile(file: string, secret: string): void {
  mkdirSync(dirname(file), { recursive: true });
  const temp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    writeFileSync(temp, `${secret}\n`, { mode: 0o600 });
    chmodSync(temp, 0o600); // the mode above is masked by umask; be explicit
    renameSync(temp, file);
  } catch (err) {
    rmSync(temp, { force: true });
    throw err;
  }
}

/** The secret kept in `file`, or undefined when there is none. */
export function readSecretFile(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8').trim() || undefined;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/**
 * The SCRAM-SHA-256 verifier PostgreSQL stores for `password` (RFC 5802/7677, PostgreSQL's
 * format). Sending the verifier instead of the password keeps the plaintext out of the server's
 * statement log even when a `CREATE ROLE … PASSWORD` fails and gets logged.
 */
export function scramVerifier(password: string, iterations = 4096): string {
  const salt = randomBytes(16);
  const salted = pbkdf2Sync(password.normalize('NFKC'), salt, iterations, 32, 'sha256');
  const clientKey = createHmac('sha256', salted).update('Client Key').digest();
  const storedKey = createHash('sha256').update(clientKey).digest();
  const serverKey = createHmac('sha256', salted).update('Server Key').digest();
  return `SCRAM-SHA-256$${iterations}:${salt.toString('base64')}$${storedKey.toString('base64')}:${serverKey.toString('base64')}`;
}

/** A SQL string literal (for utility statements such as CREATE ROLE, which take no parameters). */
export function quoteLiteral(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}
