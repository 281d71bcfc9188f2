/**
 * Finds the channel mode of an MPEG audio stream from its first frame header, fed the stream's chunks
 * as they pass (a few bytes carried, nothing buffered). mpg123-decoder always returns two channels,
 * duplicating mono, so the header is where "mono" is written. ID3v2 tags (maybe megabytes of cover
 * art) in front of the first frame are skipped by their declared size.
 */
export function mpegChannelCount(): { push(chunk: Buffer): void; count(): number | undefined } {
  let found: number | undefined;
  let carry = Buffer.alloc(0);
  let skip = 0;
  let id3Allowed = true; // ID3v2 tags come before the first frame only
  return {
    push(chunk: Buffer): void {
      if (found !== undefined) return;
      let buf: Buffer = carry.length ? Buffer.concat([carry, chunk]) : chunk;
      while (buf.length > 0 && found === undefined) {
        if (skip > 0) {
          const n = Math.min(skip, buf.length);
          skip -= n;
          buf = buf.subarray(n);
          continue;
        }
        if (id3Allowed && buf.length < 10) break;
        if (id3Allowed && buf.toString('latin1', 0, 3) === 'ID3') {
          // ID3v2 header: "ID3", version (2), flags, size as four 7-bit bytes (+10 with a footer).
          const size = ((buf[6] & 0x7f) << 21) | ((buf[7] & 0x7f) << 14) | ((buf[8] & 0x7f) << 7) | (buf[9] & 0x7f);
          skip = 10 + size + (buf[5] & 0x10 ? 10 : 0);
          continue;
        }
        id3Allowed = false;
        let i = 0;
        for (; i + 4 <= buf.length; i++) {
          if (isFrameHeader(buf, i)) {
            found = buf[i + 3] >> 6 === 0b11 ? 1 : 2;
            break;
          }
        }
        buf = buf.subarray(i);
        if (buf.length < 4) break;
      }
      carry = found === undefined ? Buffer.from(buf.subarray(0, 9)) : Buffer.alloc(0);
    },
    count: () => found,
  };
}

function isFrameHeader(b: Buffer, i: number): boolean {
  if (b[i] !== 0xff || (b[i + 1] & 0xe0) !== 0xe0) return false; // 11-bit frame sync
  const version = (b[i + 1] >> 3) & 0b11;
  const layer = (b[i + 1] >> 1) & 0b11;
  const bitrate = b[i + 2] >> 4;
  const sampleRate = (b[i + 2] >> 2) & 0b11;
  return version !== 0b01 && layer !== 0b00 && bitrate !== 0b1111 && sampleRate !== 0b11;
}
