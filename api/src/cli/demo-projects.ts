import type { INestApplicationContext } from '@nestjs/common';
import { DateTime } from 'luxon';
import { Readable } from 'node:stream';
import { RequestContext } from '../common/request-context.js';
import { DeliverablesService } from '../deliverables/deliverables.service.js';
import { ReviewCommentsService } from '../deliverables/review-comments.service.js';
import { staffReviewer } from '../deliverables/reviewer.js';
import { VersionsService } from '../deliverables/versions.service.js';
import { type FileOwner, FilesService } from '../files/files.service.js';
import { ProjectsService } from '../projects/projects.service.js';
import { TracksService } from '../projects/tracks.service.js';
import { asCaller, demoPrincipal } from './demo-bookings.js';

export interface DemoProjectsInput {
  organizationId: string;
  owner: { userId: string; email: string };
  /** Alex: mixes the album, so uploads its mixes and answers the review. */
  mixEngineer: { userId: string; email: string };
  timeZone: string;
  clients: string[];
}

export interface DemoProjectCounts {
  projects: number;
  tracks: number;
  files: number;
  deliverables: number;
  versions: number;
  /** Review comments, replies included. */
  comments: number;
}

/** The Midnight Owls' album, Clara Voss's single (indexes in DemoProjectsInput.clients). */
const ALBUM_CLIENT = 0;
const SINGLE_CLIENT = 1;

const ALBUM_TRACKS = [
  { title: 'Neon Highway', isrc: 'FRZ032600001', bpm: 112, key: 'A minor', status: 'mixing' },
  { title: 'Rear-view Mirror', isrc: 'FRZ032600002', bpm: 96.5, key: 'F major', status: 'editing' },
  { title: 'Exit 42', isrc: 'FRZ032600003', bpm: 128, key: 'D minor', status: 'recording' },
  { title: 'Dawn on the Ring Road', isrc: 'FRZ032600004', bpm: 74, key: 'C major', status: 'recording' },
] as const;

const LYRICS = `Neon Highway\n\nStreetlights counting down the miles,\nradio static, borrowed smiles;\nwe drive until the city sleeps,\nthe night is ours and the night is cheap.\n`;

/**
 * The demo's projects, made through the API's own services (projects, tracks, files, deliverables,
 * versions, review comments) acting as the owner (and Alex for the mix engineer's part) through
 * RequestContext, so audit entries, row locks, outbox events and the peaks job are the real ones.
 * The audio is generated here: the demo ships no binary and its waveform is something to look at.
 * Dates are relative to the run (due in six weeks), so the seed works on any day.
 */
export class DemoProjects {
  constructor(
    private readonly context: RequestContext,
    private readonly projects: ProjectsService,
    private readonly tracks: TracksService,
    private readonly files: FilesService,
    private readonly deliverables: DeliverablesService,
    private readonly versions: VersionsService,
    private readonly comments: ReviewCommentsService,
  ) {}

  static from(app: INestApplicationContext): DemoProjects {
    return new DemoProjects(
      app.get(RequestContext), app.get(ProjectsService), app.get(TracksService), app.get(FilesService),
      app.get(DeliverablesService), app.get(VersionsService), app.get(ReviewCommentsService),
    );
  }

  /** Returns the counts, and the album the demo's past sessions are booked for (DemoBookings). */
  async seed(r: DemoProjectsInput, now = DateTime.now()): Promise<{ counts: DemoProjectCounts; album: { projectId: string; client: number } }> {
    const owner = demoPrincipal(r.organizationId, r.owner.userId, 'owner', r.owner.email);
    const alex = demoPrincipal(r.organizationId, r.mixEngineer.userId, 'engineer', r.mixEngineer.email);
    const dueIn = (weeks: number) => now.setZone(r.timeZone).plus({ weeks }).toISODate()!;
    return asCaller(this.context, owner, async () => {
      const album = await this.projects.create({
        clientId: r.clients[ALBUM_CLIENT], title: 'Night Drive', type: 'album', status: 'in_progress', includedRevisionRounds: 2,
        budget: { amountMinor: 850_000, currency: 'EUR' }, dueDate: dueIn(6), notes: 'Ten days of tracking booked; mixes reviewed track by track.',
      });
      const tracks = [];
      for (const track of ALBUM_TRACKS) tracks.push(await this.tracks.create(album.id, { ...track, artist: 'The Midnight Owls' }));
      const single = await this.projects.create({
        clientId: r.clients[SINGLE_CLIENT], title: 'Paper Moon', type: 'single', budget: { amountMinor: 120_000, currency: 'EUR' }, dueDate: dueIn(10),
      });
      await this.tracks.create(single.id, { title: 'Paper Moon', artist: 'Clara Voss', bpm: 84, key: 'D major' });
      await this.upload({ projectId: album.id }, 'lyrics.txt', Buffer.from(LYRICS), 'text/plain');

      // Track 1's mix under review: Alex delivers v1, the owner comments at 0:03 and 0:08 and asks for
      // changes (the deliverable's first revision round), Alex answers, fixes it and delivers v2.
      const mixOf = { projectId: album.id, trackId: tracks[0].id };
      const deliverable = await this.deliverables.create(owner, album.id, { title: 'Track 1 — mix', trackId: tracks[0].id });
      const v1 = await asCaller(this.context, alex, async () => {
        const file = await this.upload(mixOf, 'Neon Highway - mix v1.wav', demoMix(0.25), 'audio/wav');
        return this.versions.create(alex, deliverable.id, { fileId: file.id, notes: 'First full mix.' });
      });
      const vocals = await this.comments.create(staffReviewer(owner), v1.id, { atSeconds: 3, body: 'Lead vocal a little buried here: about 1 dB up?' });
      const reverb = await this.comments.create(staffReviewer(owner), v1.id, { atSeconds: 8, body: 'The reverb tail feels long going into the bridge.' });
      await this.versions.decide(staffReviewer(owner), v1.id, 'request-changes', 'Close! Vocal level and the reverb, then we are there.');
      await asCaller(this.context, alex, async () => {
        await this.comments.reply(alex, reverb.id, { body: 'Shortened it to 1.2 s in v2; say if you want it tighter still.' });
        await this.comments.update(alex, vocals.id, { resolved: true });
        const file = await this.upload(mixOf, 'Neon Highway - mix v2.wav', demoMix(0.5), 'audio/wav');
        await this.versions.create(alex, deliverable.id, { fileId: file.id, notes: 'Vocal +1 dB, shorter reverb.' });
      });
      return {
        counts: { projects: 2, tracks: tracks.length + 1, files: 3, deliverables: 1, versions: 2, comments: 3 },
        album: { projectId: album.id, client: ALBUM_CLIENT },
      };
    });
  }

  /** As the upload route would hand it over: a stream of the bytes and what the client declared. */
  private upload(owner: FileOwner, fileName: string, bytes: Buffer, declaredType: string) {
    return this.files.upload(owner, { stream: Readable.from(bytes), fileName, declaredType, truncated: () => false });
  }
}

const SAMPLE_RATE = 22_050;
const SECONDS = 12;
/** A minor arpeggio (MIDI note numbers), one note every 1.5 s. */
const NOTES = [57, 60, 64, 69, 67, 64, 60, 59];

/**
 * A 12 s, 22.05 kHz, 16-bit stereo WAV of plucked-sounding notes (a short fade-in, then a decay), each
 * panned a little left or right. `brightness` (the second harmonic's level) tells the two mixes apart:
 * different bytes, different checksums, the same shape. About 1 MB: small for a seed, long enough to review.
 */
export function demoMix(brightness: number): Buffer {
  const channels = 2;
  const frames = SAMPLE_RATE * SECONDS;
  const dataBytes = frames * channels * 2;
  const wav = Buffer.alloc(44 + dataBytes);
  wav.write('RIFF', 0);
  wav.writeUInt32LE(36 + dataBytes, 4);
  wav.write('WAVEfmt ', 8);
  wav.writeUInt32LE(16, 16); // fmt chunk size
  wav.writeUInt16LE(1, 20); // PCM
  wav.writeUInt16LE(channels, 22);
  wav.writeUInt32LE(SAMPLE_RATE, 24);
  wav.writeUInt32LE(SAMPLE_RATE * channels * 2, 28); // bytes per second
  wav.writeUInt16LE(channels * 2, 32); // bytes per frame
  wav.writeUInt16LE(16, 34); // bits per sample
  wav.write('data', 36);
  wav.writeUInt32LE(dataBytes, 40);
  const noteFrames = frames / NOTES.length;
  for (let i = 0; i < frames; i++) {
    const note = Math.floor(i / noteFrames);
    const t = (i - note * noteFrames) / SAMPLE_RATE;
    const hz = 440 * 2 ** ((NOTES[note] - 69) / 12);
    const envelope = Math.min(1, t / 0.04) * Math.exp(-1.8 * t); // 40 ms fade-in: no click at each note
    const value = envelope * (Math.sin(2 * Math.PI * hz * t) + brightness * Math.sin(4 * Math.PI * hz * t)) / (1 + brightness);
    const pan = note % 2 === 0 ? 0.35 : -0.35; // at most 0.5 × 1.35 of full scale: no clipping
    wav.writeInt16LE(Math.round(value * 0.5 * (1 - pan) * 32767), 44 + i * 4);
    wav.writeInt16LE(Math.round(value * 0.5 * (1 + pan) * 32767), 46 + i * 4);
  }
  return wav;
}
