/**
 * What `rsm` exits with, so deploy scripts can branch on it (README, "Operations: the rsm CLI").
 * Commander's own usage errors (unknown option, missing argument) are mapped to USAGE.
 */
export const EXIT = {
  /** Everything asked for was done (or, on a dry run, could be listed). */
  OK: 0,
  /** The command ran, but some tenants failed (migrate), have problems (check) or a canary failed. */
  TENANTS_FAILED: 1,
  /** Bad command line or configuration (unknown option, bad value, missing DATABASE_URL). */
  USAGE: 2,
  /** The control database cannot be reached (or is not there): nothing was done. */
  CONTROL_UNREACHABLE: 3,
  /** Anything else: a bug or an unexpected error (message on stderr). */
  FAILED: 4,
} as const;

/** An error that ends the command with a given exit code and a one-line message. */
export class CliError extends Error {
  constructor(
    readonly exitCode: number,
    message: string,
  ) {
    super(message);
  }
}
