/** The bytes are not audio the peaks job can decode (corrupt, truncated to nothing, or an unsupported encoding). */
export class UndecodableAudio extends Error {
  override readonly name = 'UndecodableAudio';
}
