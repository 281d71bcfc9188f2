import { Column, Entity, Exclusion, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Equipment } from '../equipment/equipment.entity.js';
import { Booking } from './booking.entity.js';

/** An equipment item assigned to a booking; `span`/`active` copied from the booking by triggers (see BookingEngineer). */
@Entity('booking_equipment')
@Exclusion('EXC_booking_equipment_overlap', `USING gist ("equipment_id" WITH =, "span" WITH &&) WHERE ("active")`)
@Index('idx_booking_equipment_item', ['equipmentId'])
export class BookingEquipment {
  @PrimaryColumn({ name: 'booking_id', type: 'uuid' })
  bookingId: string;

  @PrimaryColumn({ name: 'equipment_id', type: 'uuid' })
  equipmentId: string;

  @ManyToOne(() => Booking, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'booking_id' })
  booking?: Booking;

  @ManyToOne(() => Equipment, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'equipment_id' })
  item?: Equipment;

  @Column({ type: 'tstzrange', select: false, insert: false, update: false })
  span: string;

  @Column({ type: 'boolean', select: false, insert: false, update: false })
  active: boolean;
}
