import { Check, Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique, UpdateDateColumn } from 'typeorm';
import { Project } from './project.entity.js';

export const TRACK_STATUSES = ['recording', 'editing', 'mixing', 'mastering', 'done'] as const;
export type TrackStatus = (typeof TRACK_STATUSES)[number];
/** ISO 3901: country (2 letters), registrant (3 alphanumerics), year (2 digits), designation (5 digits). */
export const ISRC_PATTERN = /^[A-Z]{2}[A-Z0-9]{3}[0-9]{7}$/;

/**
 * A song or piece of a project. `position` is unique per project; the constraint is deferred so one
 * transaction can renumber every track (reorder in one call) without passing through duplicates.
 */
@Entity('tracks')
@Check('CHK_tracks_status', `"status" IN ('recording', 'editing', 'mixing', 'mastering', 'done')`)
@Check('CHK_tracks_isrc', `"isrc" IS NULL OR "isrc" ~ '^[A-Z]{2}[A-Z0-9]{3}[0-9]{7}$'`)
@Check('CHK_tracks_bpm', `"bpm" IS NULL OR ("bpm" > 0 AND "bpm" < 1000)`)
@Check('CHK_tracks_position', `"position" >= 1`)
@Unique('UQ_tracks_project_position', ['projectId', 'position'], { deferrable: 'INITIALLY DEFERRED' })
export class Track {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'project_id', type: 'uuid' })
  projectId: string;

  @ManyToOne(() => Project, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'project_id' })
  project?: Project;

  @Column({ type: 'varchar', length: 200 })
  title: string;

  /** 1-based order in the project. */
  @Column({ type: 'integer' })
  position: number;

  @Column({ type: 'varchar', length: 200, nullable: true })
  artist: string | null;

  @Column({ type: 'character', length: 12, nullable: true })
  isrc: string | null;

  /** Beats per minute, to two decimals (92.50); numeric so it round-trips exactly. */
  @Column({ type: 'numeric', precision: 6, scale: 2, nullable: true, transformer: { to: (v: number | null) => v, from: (v: string | null) => (v === null ? null : Number(v)) } })
  bpm: number | null;

  /** Musical key as written by the studio ("F# minor", "Eb"). */
  @Column({ name: 'musical_key', type: 'varchar', length: 20, nullable: true })
  musicalKey: string | null;

  @Column({ type: 'varchar', length: 20, default: 'recording' })
  status: TrackStatus;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
