import { Check, Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Booking } from '../bookings/booking.entity.js';

/** One key/value row of a recall sheet: a mic, a preamp, an outboard setting. */
export interface RecallSetting {
  label: string;
  value: string;
}

/**
 * One saved version of a booking's recall / track sheet (issue 9). Every save inserts a new row; none is
 * ever updated. The primary key (booking_id, version) is what settles two engineers saving from the same
 * base version: both try to insert base + 1, PostgreSQL keeps exactly one.
 */
@Entity('booking_recall_sheets')
@Check('CHK_booking_recall_sheets_version', `"version" >= 1`)
export class RecallSheet {
  @PrimaryColumn({ name: 'booking_id', type: 'uuid' })
  bookingId: string;

  @PrimaryColumn({ type: 'integer' })
  version: number;

  @ManyToOne(() => Booking, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'booking_id' })
  booking?: Booking;

  /** Titles of the tracks worked on, in the order given. */
  @Column({ type: 'jsonb' })
  tracks: string[];

  @Column({ type: 'jsonb' })
  settings: RecallSetting[];

  @Column({ type: 'text' })
  notes: string;

  /** The user who saved it (control database id, no foreign key); an API key's creator. */
  @Column({ name: 'saved_by', type: 'uuid', nullable: true })
  savedBy: string | null;

  @Column({ name: 'saved_at', type: 'timestamptz', default: () => 'now()' })
  savedAt: Date;
}
