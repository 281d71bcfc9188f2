import { PeakAccumulator } from './peak-accumulator.js';
import { UndecodableAudio } from './undecodable-audio.js';

const WAVE_FORMAT_PCM = 0x0001;
const WAVE_FORMAT_IEEE_FLOAT = 0x0003;
const WAVE_FORMAT_EXTENSIBLE = 0xfffe;
/** The tail shared by the KSDATAFORMAT_SUBTYPE_* GUIDs; the first two bytes carry the plain format tag. */
const SUBFORMAT_GUID_TAIL = Buffer.from('000000001000800000aa00389b71', 'hex');
/** A data size streaming recorders write when they don't know the length yet: read to the end. */
const UNKNOWN_SIZE = 0xffffffff;
/** A fmt chunk is 16 to 40 bytes; anything much larger is not one we should hold in memory. */
const MAX_FMT_BYTES = 1024;
const NEED_MORE = -1;

export interface WavFormat {
  sampleRate: number;
  channels: number;
  blockAlign: number;
  /** The absolute value of the sample at `offset`, scaled to [0, 1] (floats may exceed 1). */
  level: (buf: Buffer, offset: number) => number;
  bytesPerSample: number;
}

type State =
  | { kind: 'riff' }
  | { kind: 'chunk-header' }
  | { kind: 'fmt'; size: number }
  | { kind: 'skip'; remaining: number }
  | { kind: 'data'; remaining: number };

/**
 * A streaming RIFF/WAVE decoder: push() the bytes as they arrive, end() at the end. Only a few bytes
 * (a chunk header, the fmt chunk, a partial frame) are ever carried between pushes, so a 2 GB file
 * takes the same memory as a short one. Chunks other than `fmt ` and `data` (LIST, bext, JUNK, fact…)
 * are skipped wherever they are, with RIFF's pad byte after odd-sized chunks. `fmt ` must precede
 * `data`, as the RIFF WAVE specification requires (decoding `data` needs its format).
 */
export class WavDecoder {
  private state: State = { kind: 'riff' };
  private carry: Buffer = Buffer.alloc(0);
  private format: WavFormat | undefined;
  private sawData = false;
  /** RIFF pads an odd-sized data chunk with one byte. */
  private dataPad = 0;

  constructor(private readonly peaks: PeakAccumulator) {}

  push(chunk: Buffer): void {
    let buf = this.carry.length ? Buffer.concat([this.carry, chunk]) : chunk;
    this.carry = Buffer.alloc(0);
    while (buf.length > 0) {
      const consumed = this.step(buf);
      if (consumed === NEED_MORE) {
        this.carry = Buffer.from(buf); // a copy: never pin the stream's (possibly large) chunk
        return;
      }
      buf = buf.subarray(consumed);
    }
  }

  /** The stream has ended: the format read, or an UndecodableAudio error. A truncated data chunk keeps what arrived. */
  end(): WavFormat {
    if (this.state.kind === 'riff') throw new UndecodableAudio('Not a RIFF/WAVE file');
    if (!this.format) throw new UndecodableAudio('The WAV file has no fmt chunk');
    if (!this.sawData) throw new UndecodableAudio('The WAV file has no data chunk');
    return this.format;
  }

  /** Consumes a prefix of `buf` in the current state (maybe none, moving on); NEED_MORE when `buf` is too short. */
  private step(buf: Buffer): number {
    const state = this.state;
    switch (state.kind) {
      case 'riff': {
        if (buf.length < 12) return NEED_MORE;
        const id = buf.toString('latin1', 0, 4);
        if (id === 'RF64') throw new UndecodableAudio('RF64 (64-bit WAV) is not supported');
        if (id !== 'RIFF' || buf.toString('latin1', 8, 12) !== 'WAVE') throw new UndecodableAudio('Not a RIFF/WAVE file');
        this.state = { kind: 'chunk-header' };
        return 12;
      }
      case 'chunk-header': {
        if (buf.length < 8) return NEED_MORE;
        const id = buf.toString('latin1', 0, 4);
        const size = buf.readUInt32LE(4);
        const padded = size + (size % 2);
        if (id === 'fmt ') {
          if (this.format) throw new UndecodableAudio('The WAV file has two fmt chunks');
          if (size < 16 || size > MAX_FMT_BYTES) throw new UndecodableAudio(`Invalid fmt chunk size ${size}`);
          this.state = { kind: 'fmt', size: padded };
        } else if (id === 'data' && !this.sawData) {
          if (!this.format) throw new UndecodableAudio('The WAV data chunk comes before its fmt chunk');
          this.sawData = true;
          this.state = { kind: 'data', remaining: size === UNKNOWN_SIZE ? Infinity : size };
          this.dataPad = size % 2;
        } else {
          this.state = { kind: 'skip', remaining: padded };
        }
        return 8;
      }
      case 'fmt': {
        if (buf.length < state.size) return NEED_MORE;
        this.format = parseFormat(buf.subarray(0, state.size));
        this.state = { kind: 'chunk-header' };
        return state.size;
      }
      case 'skip': {
        const n = Math.min(state.remaining, buf.length);
        state.remaining -= n;
        if (state.remaining === 0) this.state = { kind: 'chunk-header' };
        return n;
      }
      case 'data': {
        const format = this.format!;
        if (state.remaining < format.blockAlign) {
          // The chunk is done (a trailing partial frame is no sample): skip it and the pad byte.
          this.state = { kind: 'skip', remaining: state.remaining + this.dataPad };
          return 0;
        }
        const frames = Math.floor(Math.min(state.remaining, buf.length) / format.blockAlign);
        if (frames === 0) return NEED_MORE;
        this.decodeFrames(buf, frames, format);
        const bytes = frames * format.blockAlign;
        state.remaining -= bytes;
        return bytes;
      }
    }
  }


  private decodeFrames(buf: Buffer, frames: number, { channels, blockAlign, bytesPerSample, level }: WavFormat): void {
    for (let frame = 0, offset = 0; frame < frames; frame++, offset += blockAlign) {
      let loudest = 0;
      for (let c = 0, o = offset; c < channels; c++, o += bytesPerSample) {
        const l = level(buf, o);
        if (l > loudest) loudest = l;
      }
      this.peaks.add(loudest);
    }
  }
}

function parseFormat(fmt: Buffer): WavFormat {
  let tag = fmt.readUInt16LE(0);
  const channels = fmt.readUInt16LE(2);
  const sampleRate = fmt.readUInt32LE(4);
  const blockAlign = fmt.readUInt16LE(12);
  const bitsPerSample = fmt.readUInt16LE(14);
  if (tag === WAVE_FORMAT_EXTENSIBLE) {
    if (fmt.length < 40 || fmt.readUInt16LE(16) < 22) throw new UndecodableAudio('Truncated WAVE_FORMAT_EXTENSIBLE fmt chunk');
    if (!fmt.subarray(26, 40).equals(SUBFORMAT_GUID_TAIL)) throw new UndecodableAudio('Unsupported WAVE_FORMAT_EXTENSIBLE sub-format');
    tag = fmt.readUInt16LE(24);
  }
  if (channels < 1) throw new UndecodableAudio('The WAV file has no channels');
  if (sampleRate < 1) throw new UndecodableAudio('The WAV file has no sample rate');
  const level = sampleReader(tag, bitsPerSample);
  const bytesPerSample = bitsPerSample / 8;
  if (blockAlign !== channels * bytesPerSample) throw new UndecodableAudio(`Inconsistent WAV block align ${blockAlign} for ${channels} × ${bitsPerSample} bits`);
  return { sampleRate, channels, blockAlign, bytesPerSample, level };
}

function sampleReader(tag: number, bits: number): WavFormat['level'] {
  if (tag === WAVE_FORMAT_PCM) {
    switch (bits) {
      case 8: // unsigned, centred on 128
        return (b, o) => Math.abs(b[o] - 128) / 128;
      case 16:
        return (b, o) => Math.abs(b.readInt16LE(o)) / 0x8000;
      case 24:
        return (b, o) => Math.abs(b.readIntLE(o, 3)) / 0x800000;
      case 32:
        return (b, o) => Math.abs(b.readInt32LE(o)) / 0x80000000;
    }
    throw new UndecodableAudio(`Unsupported PCM sample size: ${bits} bits`);
  }
  if (tag === WAVE_FORMAT_IEEE_FLOAT) {
    if (bits === 32) return (b, o) => Math.abs(b.readFloatLE(o));
    if (bits === 64) return (b, o) => Math.abs(b.readDoubleLE(o));
    throw new UndecodableAudio(`Unsupported float sample size: ${bits} bits`);
  }
  throw new UndecodableAudio(`Unsupported WAV encoding (format tag 0x${tag.toString(16).padStart(4, '0')})`);
}
