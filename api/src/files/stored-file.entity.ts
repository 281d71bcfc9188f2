import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Booking } from '../bookings/booking.entity.js';
import { Project } from '../projects/project.entity.js';
import { Track } from '../projects/track.entity.js';

export const STORAGE_BACKENDS = ['local', 's3'] as const;
export type StorageBackend = (typeof STORAGE_BACKENDS)[number];
/** `none`: not audio we decode; `pending`: the peaks job has not run yet; `ready`/`failed`: it has. */
export const PEAKS_STATUSES = ['none', 'pending', 'ready', 'failed'] as const;
export type PeaksStatus = (typeof PEAKS_STATUSES)[number];

const bigintAsNumber = { to: (v: number) => v, from: (v: string) => Number(v) };

/**
 * An uploaded file (table `files`). The row is inserted only after its blob is completely stored, and
 * deleted before its blob: a row never points at nothing. The blob lives under a server-chosen
 * `storageKey` on the backend named by `storage` (so switching the configured store later orphans
 * nothing); `originalName` is only ever a display name. `contentType` is sniffed from the bytes.
 */
@Entity('files')
@Check('CHK_files_owner', `"project_id" IS NOT NULL OR "booking_id" IS NOT NULL`)
@Check('CHK_files_size', `"size_bytes" > 0`)
@Check('CHK_files_storage', `"storage" IN ('local', 's3')`)
@Check('CHK_files_peaks_status', `"peaks_status" IN ('none', 'pending', 'ready', 'failed')`)
@Index('idx_files_project', ['projectId', 'createdAt'])
@Index('idx_files_track', ['trackId'])
@Index('idx_files_booking', ['bookingId'])
export class StoredFile {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'project_id', type: 'uuid', nullable: true })
  projectId: string | null;

  @ManyToOne(() => Project, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'project_id' })
  project?: Project;

  /** Set with `projectId` (the track's project); a deleted track leaves its files on the project. */
  @Column({ name: 'track_id', type: 'uuid', nullable: true })
  trackId: string | null;

  @ManyToOne(() => Track, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'track_id' })
  track?: Track;

  @Column({ name: 'booking_id', type: 'uuid', nullable: true })
  bookingId: string | null;

  @ManyToOne(() => Booking, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'booking_id' })
  booking?: Booking;

  /** The name the uploader's file had: shown and used in Content-Disposition, never as a path. */
  @Column({ name: 'original_name', type: 'varchar', length: 255 })
  originalName: string;

  @Column({ type: 'varchar', length: 10 })
  storage: StorageBackend;

  @Column({ name: 'storage_key', type: 'varchar', length: 300, unique: true })
  storageKey: string;

  @Column({ name: 'size_bytes', type: 'bigint', transformer: bigintAsNumber })
  sizeBytes: number;

  /** Sniffed from the bytes (file-type); application/octet-stream when unknown. */
  @Column({ name: 'content_type', type: 'varchar', length: 127 })
  contentType: string;

  /** What the client claimed, kept for support only; never served. */
  @Column({ name: 'declared_type', type: 'varchar', length: 127, nullable: true })
  declaredType: string | null;

  @Column({ type: 'character', length: 64 })
  sha256: string;

  @Column({ name: 'peaks_status', type: 'varchar', length: 10, default: 'none' })
  peaksStatus: PeaksStatus;

  @Column({ name: 'uploaded_by', type: 'uuid', nullable: true })
  uploadedBy: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
