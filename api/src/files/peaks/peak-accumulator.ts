/**
 * Reduces a stream of audio frames to at most `target` peaks in constant memory, without knowing the
 * length up front (MP3 and FLAC streams do not reliably say it). Frames are collected into buckets of
 * `framesPerBucket` frames; when 2 × target buckets are full, neighbouring pairs merge (the max of
 * two maxima is the max of their union) and buckets become twice as long. So at most 2 × target floats
 * are held whatever the duration, and every bucket covers the same number of frames (except the last).
 */
export class PeakAccumulator {
  private readonly buckets: Float32Array;
  private filled = 0;
  private framesPerBucket = 1;
  private current = 0;
  private framesInCurrent = 0;
  private totalFrames = 0;

  constructor(private readonly target: number) {
    if (!Number.isInteger(target) || target < 1) throw new RangeError('buckets must be a positive integer');
    this.buckets = new Float32Array(target * 2);
  }

  get frames(): number {
    return this.totalFrames;
  }

  /** Adds one frame, given as its loudest absolute sample over all channels. */
  add(level: number): void {
    // NaN (a float WAV can hold one) must not poison a bucket: `level > current` is false for it.
    if (level > this.current) this.current = level;
    this.totalFrames++;
    if (++this.framesInCurrent === this.framesPerBucket) this.closeBucket();
  }

  /** Adds the frames of planar channel data (one Float32Array per channel, as the wasm decoders return). */
  addPlanar(channels: Float32Array[], frames: number): void {
    for (let i = 0; i < frames; i++) {
      let level = 0;
      for (const channel of channels) {
        const sample = Math.abs(channel[i]);
        if (sample > level) level = sample;
      }
      this.add(level);
    }
  }

  private closeBucket(): void {
    this.buckets[this.filled++] = this.current;
    this.current = 0;
    this.framesInCurrent = 0;
    if (this.filled === this.buckets.length) {
      for (let i = 0; i < this.target; i++) this.buckets[i] = Math.max(this.buckets[2 * i], this.buckets[2 * i + 1]);
      this.filled = this.target;
      this.framesPerBucket *= 2;
    }
  }

  /** The peaks: at most `target` values in [0, 1], rounded to 4 decimals (plenty for a waveform, small in JSON). */
  result(): number[] {
    const fine = Array.from(this.buckets.subarray(0, this.filled));
    if (this.framesInCurrent > 0) fine.push(this.current);
    const count = Math.min(fine.length, this.target);
    const peaks: number[] = [];
    for (let i = 0; i < count; i++) {
      const from = Math.floor((i * fine.length) / count);
      const to = Math.floor(((i + 1) * fine.length) / count);
      let peak = 0;
      for (let j = from; j < to; j++) if (fine[j] > peak) peak = fine[j];
      peaks.push(Math.round(Math.min(peak, 1) * 10_000) / 10_000);
    }
    return peaks;
  }
}
