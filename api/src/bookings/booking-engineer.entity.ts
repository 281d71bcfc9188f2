import { Column, Entity, Exclusion, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Booking } from './booking.entity.js';

/**
 * An engineer assigned to a booking. `span` and `active` are copies of the booking's, kept by triggers,
 * so that an exclusion constraint can refuse one engineer in two overlapping sessions (in any rooms).
 */
@Entity('booking_engineers')
@Exclusion('EXC_booking_engineers_overlap', `USING gist ("user_id" WITH =, "span" WITH &&) WHERE ("active")`)
export class BookingEngineer {
  @PrimaryColumn({ name: 'booking_id', type: 'uuid' })
  bookingId: string;

  /** The control database's users.id (a member with the engineer role or above). */
  @PrimaryColumn({ name: 'user_id', type: 'uuid' })
  userId: string;

  @ManyToOne(() => Booking, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'booking_id' })
  booking?: Booking;

  @Column({ type: 'tstzrange', select: false, insert: false, update: false })
  span: string;

  @Column({ type: 'boolean', select: false, insert: false, update: false })
  active: boolean;
}
