import type { Readable } from 'node:stream';
import { FLACDecoder } from '@wasm-audio-decoders/flac';
import { MPEGDecoder } from 'mpg123-decoder';
import type { DecodableAudioType } from '../audio-types.js';
import { PeakAccumulator } from './peak-accumulator.js';
import { UndecodableAudio } from './undecodable-audio.js';
import { WavDecoder } from './wav-decoder.js';
import { mpegChannelCount } from './mpeg-header.js';

export const DEFAULT_PEAK_BUCKETS = 2000;

export interface ComputedPeaks {
  durationSeconds: number;
  sampleRate: number;
  channels: number;
  /** At most `buckets` values in [0, 1]: the loudest absolute sample of all channels in each slice of time. */
  peaks: number[];
}

/**
 * Decodes `input` as it streams and reduces it to waveform peaks, in constant memory whatever the
 * length: WAV is parsed here (PCM 8/16/24/32-bit, float 32/64, WAVE_FORMAT_EXTENSIBLE), MP3 and FLAC go
 * through the wasm builds of mpg123 and libFLAC (mpg123-decoder, @wasm-audio-decoders/flac), fed chunk
 * by chunk. Throws UndecodableAudio for bytes that are not decodable audio of the given type.
 */
export async function computePeaks(input: Readable, contentType: DecodableAudioType, buckets = DEFAULT_PEAK_BUCKETS): Promise<ComputedPeaks> {
  const peaks = new PeakAccumulator(buckets);
  switch (contentType) {
    case 'audio/wav':
      return wavPeaks(input, peaks);
    case 'audio/mpeg':
      return mpegPeaks(input, peaks);
    case 'audio/flac':
      return flacPeaks(input, peaks);
    default:
      throw new UndecodableAudio(`No decoder for ${String(contentType)}`);
  }
}

function result(peaks: PeakAccumulator, sampleRate: number, channels: number): ComputedPeaks {
  return { durationSeconds: peaks.frames / sampleRate, sampleRate, channels, peaks: peaks.result() };
}

async function wavPeaks(input: Readable, peaks: PeakAccumulator): Promise<ComputedPeaks> {
  const wav = new WavDecoder(peaks);
  for await (const chunk of input) wav.push(chunk as Buffer);
  const { sampleRate, channels } = wav.end();
  return result(peaks, sampleRate, channels);
}

/** What the wasm decoders return per call (both shapes agree on these fields). */
interface DecodedAudio {
  channelData: Float32Array[];
  samplesDecoded: number;
  sampleRate: number;
}

async function mpegPeaks(input: Readable, peaks: PeakAccumulator): Promise<ComputedPeaks> {
  const decoder = new MPEGDecoder();
  await decoder.ready;
  let sampleRate = 0;
  // mpg123-decoder always hands back two channels (mono duplicated): the channel count comes from the frame header.
  const channels = mpegChannelCount();
  try {
    for await (const chunk of input) {
      const bytes = chunk as Buffer;
      channels.push(bytes);
      sampleRate = take(decoder.decode(bytes), peaks) || sampleRate;
    }
  } finally {
    decoder.free();
  }
  if (peaks.frames === 0 || !sampleRate) throw new UndecodableAudio('No MPEG audio frames could be decoded');
  return result(peaks, sampleRate, channels.count() ?? 2);
}

/**
 * FLAC's STREAMINFO block (right after "fLaC") states the sample rate, channels and total samples;
 * it is preferred over what the decoder reports because @wasm-audio-decoders/flac (its codec-parser
 * framing) can drop a short final frame, which would cut up to 4096 samples from the duration.
 */
const MAX_FLAC_BLOCK = 65_535;

function streamInfo(head: Buffer): { sampleRate: number; channels: number; totalSamples: number } | undefined {
  if (head.length < 42 || head.toString('latin1', 0, 4) !== 'fLaC' || (head[4] & 0x7f) !== 0) return undefined;
  const packed = head.readBigUInt64BE(18);
  const sampleRate = Number(packed >> 44n);
  const channels = Number((packed >> 41n) & 0b111n) + 1;
  const totalSamples = Number(packed & 0xf_ffff_ffffn);
  return sampleRate > 0 && totalSamples > 0 ? { sampleRate, channels, totalSamples } : undefined;
}

async function flacPeaks(input: Readable, peaks: PeakAccumulator): Promise<ComputedPeaks> {
  const decoder = new FLACDecoder();
  await decoder.ready;
  let sampleRate = 0;
  let channels = 0;
  let head = Buffer.alloc(0);
  const takeFlac = (decoded: DecodedAudio): void => {
    if (decoded.samplesDecoded) channels = decoded.channelData.length;
    sampleRate = take(decoded, peaks) || sampleRate;
  };
  try {
    for await (const chunk of input) {
      if (head.length < 42) head = Buffer.concat([head, (chunk as Buffer).subarray(0, 42 - head.length)]);
      takeFlac(await decoder.decode(chunk as Buffer));
    }
    takeFlac(await decoder.flush());
  } finally {
    decoder.free();
  }
  if (peaks.frames === 0 || !sampleRate) throw new UndecodableAudio('No FLAC frames could be decoded');
  const info = streamInfo(head);
  // Trust STREAMINFO's length only as far as one dropped frame explains (a FLAC block is at most 65,535 samples).
  const plausible = info && info.totalSamples >= peaks.frames && info.totalSamples - peaks.frames <= MAX_FLAC_BLOCK;
  if (!plausible) return result(peaks, sampleRate, channels);
  return { durationSeconds: info.totalSamples / info.sampleRate, sampleRate: info.sampleRate, channels: info.channels, peaks: peaks.result() };
}

/** Feeds decoded samples to the accumulator; returns the sample rate (0 when nothing was decoded). */
function take(decoded: DecodedAudio, peaks: PeakAccumulator): number {
  if (!decoded.samplesDecoded) return 0;
  peaks.addPlanar(decoded.channelData, decoded.samplesDecoded);
  return decoded.sampleRate;
}
