/**
 * Audio written by the tests themselves, so the peaks decoders are checked against signals whose
 * duration, rate, channels and loudness are known exactly (no encoder is installed here).
 * - WAV: any of the PCM / float / WAVE_FORMAT_EXTENSIBLE encodings, chunks placed where the test wants.
 * - FLAC: a minimal but valid encoder using VERBATIM subframes (STREAMINFO, frame headers with CRC-8,
 *   raw big-endian samples, CRC-16), which libFLAC decodes exactly.
 * - MP3: MPEG-1 Layer III frames written bit by bit: "silent" frames (all side info zero: no coded
 *   spectral lines) and "tone" frames that code one spectral line in the count1 region with Huffman
 *   table B (a fixed 4-bit code), so mpg123 decodes sound there and exact silence elsewhere.
 */

/** A signal: `amplitude(t)` in [0, 1] of a sine of `frequency` Hz, the same on every channel. */
export interface Signal {
  sampleRate: number;
  channels: number;
  seconds: number;
  frequency?: number;
  amplitude: (seconds: number) => number;
}

export function* samples({ sampleRate, channels, seconds, frequency = 440, amplitude }: Signal): Generator<number[]> {
  const frames = Math.round(seconds * sampleRate);
  for (let i = 0; i < frames; i++) {
    const t = i / sampleRate;
    // A sine sampled at its crest every period would hide a wrong scale; the envelope is what matters.
    const value = amplitude(t) * Math.sin(2 * Math.PI * frequency * t);
    yield Array.from({ length: channels }, (_, c) => (c === 0 ? value : value * 0.5));
  }
}

export type WavEncoding = 'pcm8' | 'pcm16' | 'pcm24' | 'pcm32' | 'float32' | 'float64';
const BITS: Record<WavEncoding, number> = { pcm8: 8, pcm16: 16, pcm24: 24, pcm32: 32, float32: 32, float64: 64 };

export interface WavOptions {
  encoding?: WavEncoding;
  extensible?: boolean;
  /** Extra chunks before fmt, between fmt and data, and after data (odd sizes exercise the pad byte). */
  extraChunks?: { beforeFmt?: Buffer[]; beforeData?: Buffer[]; afterData?: Buffer[] };
  /** Writes 0xFFFFFFFF as the data size, as streaming recorders do. */
  unknownDataSize?: boolean;
}

export function chunk(id: string, body: Buffer): Buffer {
  const header = Buffer.alloc(8);
  header.write(id, 0, 'latin1');
  header.writeUInt32LE(body.length, 4);
  return Buffer.concat([header, body, body.length % 2 ? Buffer.alloc(1) : Buffer.alloc(0)]);
}

export function wav(signal: Signal, options: WavOptions = {}): Buffer {
  const encoding = options.encoding ?? 'pcm16';
  const bits = BITS[encoding];
  const bytes = bits / 8;
  const blockAlign = signal.channels * bytes;
  const isFloat = encoding.startsWith('float');
  const fmt = Buffer.alloc(options.extensible ? 40 : 16);
  fmt.writeUInt16LE(options.extensible ? 0xfffe : isFloat ? 3 : 1, 0);
  fmt.writeUInt16LE(signal.channels, 2);
  fmt.writeUInt32LE(signal.sampleRate, 4);
  fmt.writeUInt32LE(signal.sampleRate * blockAlign, 8);
  fmt.writeUInt16LE(blockAlign, 12);
  fmt.writeUInt16LE(bits, 14);
  if (options.extensible) {
    fmt.writeUInt16LE(22, 16);
    fmt.writeUInt16LE(bits, 18);
    fmt.writeUInt32LE(signal.channels === 2 ? 0x3 : 0, 20);
    fmt.writeUInt16LE(isFloat ? 3 : 1, 24);
    Buffer.from('000000001000800000aa00389b71', 'hex').copy(fmt, 26);
  }
  const frames = [...samples(signal)];
  const data = Buffer.alloc(frames.length * blockAlign);
  let o = 0;
  for (const frame of frames) {
    for (const v of frame) {
      if (encoding === 'pcm8') data.writeUInt8(Math.round(v * 127) + 128, o);
      else if (encoding === 'pcm16') data.writeInt16LE(Math.round(v * 32767), o);
      else if (encoding === 'pcm24') data.writeIntLE(Math.round(v * 8388607), o, 3);
      else if (encoding === 'pcm32') data.writeInt32LE(Math.round(v * 2147483647), o);
      else if (encoding === 'float32') data.writeFloatLE(v, o);
      else data.writeDoubleLE(v, o);
      o += bytes;
    }
  }
  const dataChunk = chunk('data', data);
  if (options.unknownDataSize) dataChunk.writeUInt32LE(0xffffffff, 4);
  const extra = options.extraChunks ?? {};
  const body = Buffer.concat([
    Buffer.from('WAVE', 'latin1'),
    ...(extra.beforeFmt ?? []),
    chunk('fmt ', fmt),
    ...(extra.beforeData ?? []),
    dataChunk,
    ...(extra.afterData ?? []),
  ]);
  return chunk('RIFF', body);
}

// ---------------------------------------------------------------- FLAC (VERBATIM subframes)

function crc8(bytes: Buffer): number {
  let crc = 0;
  for (const b of bytes) {
    crc ^= b;
    for (let i = 0; i < 8; i++) crc = crc & 0x80 ? ((crc << 1) ^ 0x07) & 0xff : (crc << 1) & 0xff;
  }
  return crc;
}

function crc16(bytes: Buffer): number {
  let crc = 0;
  for (const b of bytes) {
    crc ^= b << 8;
    for (let i = 0; i < 8; i++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x8005) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc;
}

/** FLAC's UTF-8-like coding of the frame number. */
function utf8Number(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  if (n < 0x800) return Buffer.from([0xc0 | (n >> 6), 0x80 | (n & 0x3f)]);
  if (n < 0x10000) return Buffer.from([0xe0 | (n >> 12), 0x80 | ((n >> 6) & 0x3f), 0x80 | (n & 0x3f)]);
  return Buffer.from([0xf0 | (n >> 18), 0x80 | ((n >> 12) & 0x3f), 0x80 | ((n >> 6) & 0x3f), 0x80 | (n & 0x3f)]);
}

const FLAC_SAMPLE_RATE_CODES: Record<number, number> = { 44100: 0b1001, 48000: 0b1010, 96000: 0b1011, 8000: 0b0100, 16000: 0b0101, 22050: 0b0110, 24000: 0b0111, 32000: 0b1000 };

export function flac(signal: Signal, bitsPerSample: 16 | 24 = 16, blockSize = 4096): Buffer {
  const frames = [...samples(signal)];
  const max = 2 ** (bitsPerSample - 1) - 1;
  const bytes = bitsPerSample / 8;
  const streamInfo = Buffer.alloc(34);
  streamInfo.writeUInt16BE(blockSize, 0);
  streamInfo.writeUInt16BE(blockSize, 2);
  // min/max frame size 0 (unknown); then 20 bits rate, 3 bits channels-1, 5 bits bps-1, 36 bits total samples.
  const total = BigInt(frames.length);
  const packed =
    (BigInt(signal.sampleRate) << 44n) | (BigInt(signal.channels - 1) << 41n) | (BigInt(bitsPerSample - 1) << 36n) | total;
  streamInfo.writeBigUInt64BE(packed, 10);
  // MD5 left zero: "unknown", which decoders accept.
  const metadataHeader = Buffer.from([0x80, 0, 0, 34]); // last block, STREAMINFO, 34 bytes
  const out: Buffer[] = [Buffer.from('fLaC', 'latin1'), metadataHeader, streamInfo];
  const rateCode = FLAC_SAMPLE_RATE_CODES[signal.sampleRate];
  if (rateCode === undefined) throw new Error(`no FLAC sample-rate code for ${signal.sampleRate} in this test encoder`);
  const sizeCode = bitsPerSample === 16 ? 0b100 : 0b110;
  for (let start = 0, number = 0; start < frames.length; start += blockSize, number++) {
    const block = frames.slice(start, start + blockSize);
    const header = Buffer.concat([
      Buffer.from([0xff, 0xf8, (0b0111 << 4) | rateCode, ((signal.channels - 1) << 4) | (sizeCode << 1)]),
      utf8Number(number),
      Buffer.from([(block.length - 1) >> 8, (block.length - 1) & 0xff]),
    ]);
    const parts = [header, Buffer.from([crc8(header)])];
    for (let c = 0; c < signal.channels; c++) {
      const sub = Buffer.alloc(1 + block.length * bytes);
      sub[0] = 0b0000_0010; // zero bit, type 000001 (VERBATIM), no wasted bits
      block.forEach((frame, i) => sub.writeIntBE(Math.round(frame[c] * max), 1 + i * bytes, bytes));
      parts.push(sub);
    }
    const frame = Buffer.concat(parts); // byte-aligned already: 8-bit subframe headers, whole-byte samples
    const crc = Buffer.alloc(2);
    crc.writeUInt16BE(crc16(frame));
    out.push(frame, crc);
  }
  return Buffer.concat(out);
}

// ---------------------------------------------------------------- MP3 (hand-written Layer III frames)

class BitWriter {
  private readonly bytes: number[] = [];
  private bits = 0;
  write(value: number, count: number): void {
    for (let i = count - 1; i >= 0; i--) {
      const byte = this.bits >> 3;
      if (byte === this.bytes.length) this.bytes.push(0);
      if ((value >> i) & 1) this.bytes[byte] |= 0x80 >> (this.bits & 7);
      this.bits++;
    }
  }
  buffer(size: number): Buffer {
    const out = Buffer.alloc(size);
    Buffer.from(this.bytes).copy(out);
    return out;
  }
}

/** 1152 samples per MPEG-1 Layer III frame. */
export const MP3_FRAME_SAMPLES = 1152;
/** 128 kb/s at 44.1 kHz without the padding byte: floor(144 × 128000 / 44100). */
const MP3_FRAME_BYTES = 417;

/**
 * One mono MPEG-1 Layer III frame, 44.1 kHz, 128 kb/s, no CRC. Silent: both granules code no spectral
 * lines (part2_3_length 0), which decodes to exact zeros. Tone: each granule codes spectral line 1 as
 * +1 in the count1 region (table B: quadruple (0,1,0,0) is the 4-bit code 15 − 4 = 1011, then its sign
 * bit 0), at `globalGain` (210 means a dequantised value of 1).
 */
export function mp3Frame(kind: 'silent' | 'tone' | 'silent-stereo', globalGain = 210): Buffer {
  const w = new BitWriter();
  // Header: sync, MPEG-1, Layer III, no CRC | bitrate 128k (1001), 44.1k (00), no padding | mono (11).
  w.write(0xfffb, 16);
  w.write(0x90, 8);
  if (kind === 'silent-stereo') {
    // Stereo (00): 32 bytes of side info, all zero as well — nothing coded in either channel.
    w.write(0x00, 8);
    return w.buffer(MP3_FRAME_BYTES);
  }
  w.write(0xc0, 8);
  // Side info (mono, 17 bytes): main_data_begin 9 (0: no bit reservoir), private 5, scfsi 4.
  w.write(0, 9);
  w.write(0, 5);
  w.write(0, 4);
  const tone = kind === 'tone';
  for (let granule = 0; granule < 2; granule++) {
    w.write(tone ? 5 : 0, 12); // part2_3_length: no scale factor bits (scalefac_compress 0) + 5 Huffman bits
    w.write(0, 9); // big_values: none, the count1 region starts at line 0
    w.write(tone ? globalGain : 0, 8);
    w.write(0, 4); // scalefac_compress
    w.write(0, 1); // window_switching_flag: long blocks
    w.write(0, 15); // table_select × 3
    w.write(0, 4); // region0_count
    w.write(0, 3); // region1_count
    w.write(0, 1); // preflag
    w.write(0, 1); // scalefac_scale
    w.write(tone ? 1 : 0, 1); // count1table_select: table B
  }
  // Main data (begins right after the side info): per granule, one count1 quadruple then zero fill.
  if (tone) for (let granule = 0; granule < 2; granule++) w.write(0b1011_0, 5);
  return w.buffer(MP3_FRAME_BYTES);
}

export function mp3(frames: Array<'silent' | 'tone' | 'silent-stereo'>, globalGain?: number): Buffer {
  return Buffer.concat(frames.map((kind) => mp3Frame(kind, globalGain)));
}
