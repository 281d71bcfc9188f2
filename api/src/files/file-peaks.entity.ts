import { Column, Entity, JoinColumn, OneToOne, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { StoredFile } from './stored-file.entity.js';

/**
 * Waveform peaks of an audio file, computed once per upload by the peaks job and served to the review
 * player. `peaks` holds one value per bucket in [0, 1] (the loudest absolute sample of all channels).
 */
@Entity('file_peaks')
export class FilePeaks {
  @PrimaryColumn({ name: 'file_id', type: 'uuid' })
  fileId: string;

  @OneToOne(() => StoredFile, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'file_id' })
  file?: StoredFile;

  @Column({ name: 'duration_seconds', type: 'double precision' })
  durationSeconds: number;

  @Column({ name: 'sample_rate', type: 'integer' })
  sampleRate: number;

  @Column({ type: 'integer' })
  channels: number;

  @Column({ type: 'jsonb' })
  peaks: number[];

  @UpdateDateColumn({ name: 'computed_at', type: 'timestamptz' })
  computedAt: Date;
}
