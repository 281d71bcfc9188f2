/**
 * Audio the peaks job decodes (content types as file-type sniffs them). Uploads of these types are
 * stored with `peaksStatus: 'pending'` and a `file-peaks` job; every other type gets `none`.
 */
export const DECODABLE_AUDIO_TYPES = ['audio/wav', 'audio/mpeg', 'audio/flac'] as const;
export type DecodableAudioType = (typeof DECODABLE_AUDIO_TYPES)[number];

export function isDecodableAudio(contentType: string): contentType is DecodableAudioType {
  return (DECODABLE_AUDIO_TYPES as readonly string[]).includes(contentType);
}

/** The pg-boss queue of the peaks job; its data is FilePeaksJobData. */
export const FILE_PEAKS_QUEUE = 'file-peaks';
export interface FilePeaksJobData {
  tenantId: string;
  fileId: string;
}
