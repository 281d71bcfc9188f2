import { Check, Column, CreateDateColumn, Entity, Exclusion, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { Client } from '../clients/client.entity.js';
import { Project } from '../projects/project.entity.js';
import { Room } from '../rooms/room.entity.js';

export const BOOKING_STATUSES = ['hold', 'confirmed', 'in_progress', 'completed', 'cancelled', 'no_show'] as const;
export type BookingStatus = (typeof BOOKING_STATUSES)[number];
/** Statuses that occupy their room, engineers and equipment (the exclusion constraints' `active`). */
export const BLOCKING_STATUSES: readonly BookingStatus[] = ['hold', 'confirmed', 'in_progress', 'completed'];

/**
 * A recording session. No double booking is guaranteed by PostgreSQL, not by the code: the trigger
 * `bookings_compute_span` keeps `span` (starts/ends widened by the setup/teardown buffers) and `active`
 * (status blocks the calendar), and an exclusion constraint refuses two active bookings of one room whose
 * spans overlap. Engineers and equipment get the same guarantee through their assignment rows, which the
 * trigger keeps in step (see migration 1796100000000-CreateBookings).
 */
@Entity('bookings')
@Check('CHK_bookings_order', `"ends_at" > "starts_at"`)
@Check('CHK_bookings_buffers', `"setup_minutes" >= 0 AND "setup_minutes" <= 1440 AND "teardown_minutes" >= 0 AND "teardown_minutes" <= 1440`)
@Check('CHK_bookings_status', `"status" IN ('hold', 'confirmed', 'in_progress', 'completed', 'cancelled', 'no_show')`)
@Check('CHK_bookings_hold_expiry', `"status" <> 'hold' OR "hold_expires_at" IS NOT NULL`)
@Check('CHK_bookings_rates', `"hourly_rate_minor" >= 0 AND ("day_rate_minor" IS NULL OR "day_rate_minor" >= 0)`)
@Check('CHK_bookings_actuals', `"actual_end_at" IS NULL OR ("actual_start_at" IS NOT NULL AND "actual_end_at" >= "actual_start_at")`)
@Exclusion('EXC_bookings_room_overlap', `USING gist ("room_id" WITH =, "span" WITH &&) WHERE ("active")`)
@Index('idx_bookings_span', { synchronize: false }) // gist (span) for the calendar query: created by migration
@Index('idx_bookings_series', ['seriesId', 'startsAt'])
@Index('idx_bookings_project', ['projectId', 'startsAt'])
@Index('idx_bookings_hold_expiry', { synchronize: false }) // partial (hold_expires_at) WHERE status = 'hold': created by migration
export class Booking {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'client_id', type: 'uuid' })
  clientId: string;

  @ManyToOne(() => Client, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'client_id' })
  client?: Client;

  @Column({ name: 'room_id', type: 'uuid' })
  roomId: string;

  @ManyToOne(() => Room, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'room_id' })
  room?: Room;

  /** The project the session worked on (same client; checked by the bookings service). */
  @Column({ name: 'project_id', type: 'uuid', nullable: true })
  projectId: string | null;

  @ManyToOne(() => Project, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'project_id' })
  project?: Project;

  /** Bookings created together from one RRULE share this id. */
  @Column({ name: 'series_id', type: 'uuid', nullable: true })
  seriesId: string | null;

  @Column({ type: 'varchar', length: 200 })
  title: string;

  @Column({ name: 'starts_at', type: 'timestamptz' })
  startsAt: Date;

  @Column({ name: 'ends_at', type: 'timestamptz' })
  endsAt: Date;

  @Column({ name: 'setup_minutes', type: 'integer', default: 0 })
  setupMinutes: number;

  @Column({ name: 'teardown_minutes', type: 'integer', default: 0 })
  teardownMinutes: number;

  @Column({ type: 'varchar', length: 20, default: 'confirmed' })
  status: BookingStatus;

  @Column({ name: 'hold_expires_at', type: 'timestamptz', nullable: true })
  holdExpiresAt: Date | null;

  /** Why it was cancelled; 'hold_expired' when the hold-expiry job released it. */
  @Column({ name: 'cancellation_reason', type: 'varchar', length: 500, nullable: true })
  cancellationReason: string | null;

  @Column({ type: 'text', nullable: true })
  notes: string | null;

  /** The room's rates when booked: later rate changes do not reprice a booking. */
  @Column({ name: 'hourly_rate_minor', type: 'integer' })
  hourlyRateMinor: number;

  @Column({ name: 'day_rate_minor', type: 'integer', nullable: true })
  dayRateMinor: number | null;

  @Column({ type: 'char', length: 3 })
  currency: string;

  @Column({ name: 'actual_start_at', type: 'timestamptz', nullable: true })
  actualStartAt: Date | null;

  @Column({ name: 'actual_end_at', type: 'timestamptz', nullable: true })
  actualEndAt: Date | null;

  /** Door code for the session (random, from node:crypto). */
  @Column({ name: 'access_code', type: 'varchar', length: 16 })
  accessCode: string;

  /** The admin who overrode the booking rules (null: the rules held). */
  @Column({ name: 'rules_overridden_by', type: 'uuid', nullable: true })
  rulesOverriddenBy: string | null;

  /** The user or API key that created it (control database id, no foreign key). */
  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy: string | null;

  /** [starts_at - setup, ends_at + teardown): set by the trigger on every write, never by the code. */
  @Column({ type: 'tstzrange', select: false, insert: false, update: false })
  span: string;

  /** Status blocks the calendar: set by the trigger, never by the code. */
  @Column({ type: 'boolean', select: false, insert: false, update: false })
  active: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
