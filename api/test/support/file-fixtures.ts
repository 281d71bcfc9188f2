import pg from 'pg';
import request from 'supertest';
import { connectTenantDatabase, type TestApp } from './test-app.js';

/**
 * Issue 10, files: a project (with a client) and a track written behind the app's back, so the files
 * suites do not depend on the projects API (built alongside).
 */
export async function seedProject(t: TestApp, organizationId: string, title = 'Album') {
  const db: pg.Client = await connectTenantDatabase(t, organizationId);
  try {
    const client = await db.query(`INSERT INTO clients (name) VALUES ('Files client') RETURNING id`);
    const project = await db.query(`INSERT INTO projects (client_id, title, type) VALUES ($1, $2, 'album') RETURNING id`, [client.rows[0].id, title]);
    const track = await db.query(`INSERT INTO tracks (project_id, title, position) VALUES ($1, 'Track 1', 1) RETURNING id`, [project.rows[0].id]);
    return { clientId: client.rows[0].id as string, projectId: project.rows[0].id as string, trackId: track.rows[0].id as string };
  } finally {
    await db.end();
  }
}

/** POST a multipart upload with one `file` part. */
export function upload(t: TestApp, cookie: string, url: string, body: Buffer, fileName: string, contentType = 'application/octet-stream'): request.Test {
  // filepath, not filename: form-data would cut a name such as ../../etc/passwd down to its basename.
  return t.http().post(url).set('cookie', cookie).attach('file', body, { filepath: fileName, contentType } as never);
}

/** A short PCM WAV (silence plus a tone), what an audio upload looks like to file-type. */
export function wavBytes(seconds = 0.1, sampleRate = 8000): Buffer {
  const samples = Math.round(seconds * sampleRate);
  const data = Buffer.alloc(samples * 2);
  for (let i = 0; i < samples; i++) data.writeInt16LE(Math.round(Math.sin((i / sampleRate) * 2 * Math.PI * 440) * 8000), i * 2);
  const header = Buffer.alloc(44);
  header.write('RIFF', 0);
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVE', 8);
  header.write('fmt ', 12);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(sampleRate, 24);
  header.writeUInt32LE(sampleRate * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36);
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}
