import { Readable } from 'node:stream';
import { chunk, flac, mp3, MP3_FRAME_SAMPLES, type Signal, wav, type WavEncoding } from '../../../test/support/generated-audio.js';
import { computePeaks } from './compute-peaks.js';
import { PeakAccumulator } from './peak-accumulator.js';
import { UndecodableAudio } from './undecodable-audio.js';

/** Streams `bytes` in pieces of `size` bytes, as a file read would (headers and frames split anywhere). */
function streamOf(bytes: Buffer, size = 65536): Readable {
  return Readable.from((function* () {
    for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
  })());
}

/** One second of silence, then one second of a sine at 0.5. */
const silenceThenLoud = (channels: number, sampleRate = 44100): Signal => ({ sampleRate, channels, seconds: 2, amplitude: (t) => (t < 1 ? 0 : 0.5) });

/** The first and last 45 % of the peaks: the silent and the loud second (the middle bucket may straddle both). */
function halves(peaks: number[]): { silent: number[]; loud: number[] } {
  const edge = Math.floor(peaks.length * 0.45);
  return { silent: peaks.slice(0, edge), loud: peaks.slice(peaks.length - edge) };
}

describe('computePeaks: WAV', () => {
  it('reports duration, rate and channels, and peaks that follow the amplitude envelope', async () => {
    const result = await computePeaks(streamOf(wav(silenceThenLoud(2))), 'audio/wav', 100);
    expect(result).toMatchObject({ durationSeconds: 2, sampleRate: 44100, channels: 2 });
    expect(result.peaks).toHaveLength(100);
    const { silent, loud } = halves(result.peaks);
    for (const p of silent) expect(p).toBe(0);
    for (const p of loud) expect(p).toBeCloseTo(0.5, 2);
  });

  it.each<[WavEncoding, boolean, number]>([
    ['pcm8', false, 1 / 64],
    ['pcm16', false, 1e-3],
    ['pcm24', false, 1e-3],
    ['pcm32', false, 1e-3],
    ['float32', false, 1e-3],
    ['float64', false, 1e-3],
    ['pcm24', true, 1e-3],
    ['float32', true, 1e-3],
  ])('decodes %s (extensible: %s) to the right level', async (encoding, extensible, tolerance) => {
    const signal: Signal = { sampleRate: 48000, channels: 1, seconds: 0.5, amplitude: () => 0.8 };
    const result = await computePeaks(streamOf(wav(signal, { encoding, extensible }), 1001), 'audio/wav', 50);
    expect(result).toMatchObject({ durationSeconds: 0.5, sampleRate: 48000, channels: 1 });
    for (const p of result.peaks) expect(Math.abs(p - 0.8)).toBeLessThan(tolerance);
  });

  it('skips other chunks wherever they are (odd sizes padded), whatever the stream chunking', async () => {
    const signal = silenceThenLoud(1, 8000);
    const bytes = wav(signal, {
      extraChunks: {
        beforeFmt: [chunk('JUNK', Buffer.alloc(27))],
        beforeData: [chunk('LIST', Buffer.from('INFOISFT\x05\0\0\0rsm!\0', 'latin1')), chunk('fact', Buffer.alloc(4))],
        afterData: [chunk('id3 ', Buffer.alloc(13, 0xff))],
      },
    });
    const whole = await computePeaks(streamOf(bytes, bytes.length), 'audio/wav', 40);
    const dribbled = await computePeaks(streamOf(bytes, 7), 'audio/wav', 40);
    expect(dribbled).toEqual(whole);
    expect(whole).toMatchObject({ durationSeconds: 2, sampleRate: 8000, channels: 1 });
    const { silent, loud } = halves(whole.peaks);
    for (const p of silent) expect(p).toBe(0);
    for (const p of loud) expect(p).toBeCloseTo(0.5, 2);
  });

  it('reads to the end when the data size is unknown (0xFFFFFFFF, as streaming recorders write)', async () => {
    const result = await computePeaks(streamOf(wav(silenceThenLoud(2, 22050), { unknownDataSize: true })), 'audio/wav', 10);
    expect(result.durationSeconds).toBe(2);
  });

  it('streams a long file through a bounded number of buckets', async () => {
    // Ten minutes of 8 kHz mono, generated lazily: the decoder sees it chunk by chunk like a disk read.
    const sampleRate = 8000;
    const seconds = 600;
    const header = wav({ sampleRate, channels: 1, seconds: 0, amplitude: () => 0 });
    header.writeUInt32LE(seconds * sampleRate * 2, 40);
    const second = Buffer.alloc(sampleRate * 2);
    for (let i = 0; i < sampleRate; i++) second.writeInt16LE(Math.round(Math.sin(i / 5) * 16384), i * 2);
    const silentSecond = Buffer.alloc(sampleRate * 2);
    const input = Readable.from((function* () {
      yield header;
      // Loud only during minute 5 (seconds 300 to 359).
      for (let s = 0; s < seconds; s++) yield s >= 300 && s < 360 ? second : silentSecond;
    })());
    const result = await computePeaks(input, 'audio/wav');
    expect(result.durationSeconds).toBe(600);
    expect(result.peaks.length).toBeLessThanOrEqual(2000);
    expect(result.peaks.length).toBeGreaterThan(1000);
    const at = (s: number) => result.peaks[Math.floor((s / seconds) * result.peaks.length)];
    expect(at(100)).toBe(0);
    expect(at(330)).toBeCloseTo(0.5, 2);
    expect(at(500)).toBe(0);
  });
});

describe('computePeaks: FLAC', () => {
  it.each<[16 | 24, number]>([
    [16, 2],
    [24, 1],
  ])('decodes %i-bit, %i channel(s): duration, rate, channels and envelope', async (bits, channels) => {
    const signal = silenceThenLoud(channels);
    const result = await computePeaks(streamOf(flac(signal, bits), 5000), 'audio/flac', 100);
    expect(result).toMatchObject({ durationSeconds: 2, sampleRate: 44100, channels });
    expect(result.peaks.length).toBeLessThanOrEqual(100);
    const { silent, loud } = halves(result.peaks);
    for (const p of silent) expect(p).toBe(0);
    for (const p of loud) expect(p).toBeCloseTo(0.5, 2);
  });
  it("ignores a STREAMINFO length that the decoded frames contradict (a crafted header can't stretch the duration)", async () => {
    const frames = 4096 * 10;
    const bytes = flac({ sampleRate: 44100, channels: 1, seconds: frames / 44100, amplitude: () => 0.25 });
    const packed = bytes.readBigUInt64BE(18);
    bytes.writeBigUInt64BE((packed & ~0xf_ffff_ffffn) | 10_000_000n, 18); // total samples: 10 million
    const result = await computePeaks(streamOf(bytes), 'audio/flac', 10);
    expect(result.durationSeconds).toBe(frames / 44100);
  });
});

describe('computePeaks: MP3', () => {
  it('decodes silent then sounding Layer III frames: duration, rate, mono, and where the sound is', async () => {
    const frames = [...Array<'silent'>(40).fill('silent'), ...Array<'tone'>(40).fill('tone')];
    const result = await computePeaks(streamOf(mp3(frames, 200), 1000), 'audio/mpeg', 80);
    expect(result.sampleRate).toBe(44100);
    expect(result.channels).toBe(1);
    expect(result.durationSeconds).toBeCloseTo((80 * MP3_FRAME_SAMPLES) / 44100, 1);
    const { silent, loud } = halves(result.peaks);
    for (const p of silent) expect(p).toBe(0);
    for (const p of loud) expect(p).toBeGreaterThan(0.05);
  });

  it('reads the channel count from the frame header (mpg123-decoder always returns two channels)', async () => {
    const result = await computePeaks(streamOf(mp3(Array<'silent-stereo'>(30).fill('silent-stereo'))), 'audio/mpeg', 30);
    expect(result).toMatchObject({ sampleRate: 44100, channels: 2 });
    expect(result.durationSeconds).toBeCloseTo((30 * MP3_FRAME_SAMPLES) / 44100, 1);
    expect(result.peaks.every((p) => p === 0)).toBe(true);
  });

  it('skips an ID3v2 tag in front of the first frame', async () => {
    // Size 0x800; inside, bytes that look like a stereo frame header (cover art can hold anything).
    const tag = Buffer.concat([Buffer.from('ID3\x04\x00\x00\x00\x00\x10\x00', 'latin1'), Buffer.alloc(1000), Buffer.from([0xff, 0xfb, 0x90, 0x00]), Buffer.alloc(1044)]);
    const result = await computePeaks(streamOf(Buffer.concat([tag, mp3(Array<'tone'>(20).fill('tone'), 200)]), 333), 'audio/mpeg', 20);
    expect(result.channels).toBe(1);
    expect(result.durationSeconds).toBeCloseTo((20 * MP3_FRAME_SAMPLES) / 44100, 1);
  });
});

describe('computePeaks: undecodable input', () => {
  const random = Buffer.from(Array.from({ length: 50_000 }, (_, i) => (i * 7919 + 13) % 251));
  const adpcm = wav(silenceThenLoud(1, 8000));
  adpcm.writeUInt16LE(0x0002, 20); // fmt format tag → MS ADPCM

  it.each<[string, Buffer, 'audio/wav' | 'audio/mpeg' | 'audio/flac', RegExp]>([
    ['empty WAV', Buffer.alloc(0), 'audio/wav', /RIFF/],
    ['text as WAV', Buffer.from('hello, this is not audio at all'), 'audio/wav', /RIFF/],
    ['ADPCM WAV', adpcm, 'audio/wav', /Unsupported WAV encoding/],
    ['WAV without data', wav(silenceThenLoud(1, 8000)).subarray(0, 36), 'audio/wav', /no data chunk/],
    ['noise as MP3', random, 'audio/mpeg', /No MPEG audio frames/],
    ['noise as FLAC', random, 'audio/flac', /No FLAC frames/],
    ['a WAV as FLAC', wav(silenceThenLoud(1, 8000)), 'audio/flac', /No FLAC frames/],
  ])('%s → UndecodableAudio', async (_name, bytes, type, message) => {
    const failure = computePeaks(streamOf(bytes), type);
    await expect(failure).rejects.toBeInstanceOf(UndecodableAudio);
    await expect(computePeaks(streamOf(bytes), type)).rejects.toThrow(message);
  });

  it('rejects a data chunk before its fmt chunk', async () => {
    const riff = chunk('RIFF', Buffer.concat([Buffer.from('WAVE'), chunk('data', Buffer.alloc(8)), chunk('fmt ', Buffer.alloc(16))]));
    await expect(computePeaks(streamOf(riff), 'audio/wav')).rejects.toThrow(/before its fmt/);
  });
});

describe('PeakAccumulator', () => {
  it.each([1, 999, 4000, 4001, 123_457])('keeps at most the target and places a spike right (%i frames)', (frames) => {
    const peaks = new PeakAccumulator(100);
    const spike = Math.floor(frames * 0.7);
    for (let i = 0; i < frames; i++) peaks.add(i === spike ? 1 : 0.25);
    const result = peaks.result();
    expect(result.length).toBe(Math.min(frames, 100));
    expect(peaks.frames).toBe(frames);
    const at = result.indexOf(1);
    expect(Math.abs(at - Math.floor(0.7 * result.length))).toBeLessThanOrEqual(1);
    expect(result.filter((p) => p === 1)).toHaveLength(1);
  });
});
