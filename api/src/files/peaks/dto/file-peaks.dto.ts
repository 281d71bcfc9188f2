import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PEAKS_STATUSES, type PeaksStatus } from '../../stored-file.entity.js';
import { DEFAULT_PEAK_BUCKETS } from '../compute-peaks.js';

/** A file's waveform: its status, and once `ready` the peaks the review player draws. */
export class FilePeaksDto {
  @ApiProperty({
    enum: PEAKS_STATUSES,
    enumName: 'PeaksStatus',
    description: '`none`: not audio we decode; `pending`: not computed yet; `failed`: the audio could not be decoded; `ready`: the other fields are present',
  })
  status: PeaksStatus;

  @ApiPropertyOptional({ type: 'number', format: 'double', minimum: 0, description: 'Present when ready' })
  durationSeconds?: number;

  @ApiPropertyOptional({ type: 'integer', format: 'int32', minimum: 1, maximum: 2147483647, description: 'Present when ready' })
  sampleRate?: number;

  @ApiPropertyOptional({ type: 'integer', format: 'int32', minimum: 1, maximum: 65535, description: 'Present when ready' })
  channels?: number;

  @ApiPropertyOptional({
    type: 'array',
    items: { type: 'number', format: 'double', minimum: 0, maximum: 1 },
    maxItems: DEFAULT_PEAK_BUCKETS,
    description: 'Present when ready: the loudest absolute sample of all channels in each equal slice of the duration, in [0, 1]',
  })
  peaks?: number[];
}
