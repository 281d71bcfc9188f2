import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { Booking } from '../bookings/booking.entity.js';
import { Client } from '../clients/client.entity.js';
import { PortalAccount } from '../portal/portal-account.entity.js';
import { Room } from '../rooms/room.entity.js';

export const BOOKING_REQUEST_STATUSES = ['pending', 'approved', 'declined', 'withdrawn'] as const;
export type BookingRequestStatus = (typeof BOOKING_REQUEST_STATUSES)[number];

/** One window the client could come in: an instant pair, ISO 8601 UTC. */
export interface PreferredSlot {
  startsAt: string;
  endsAt: string;
}

/**
 * Issue 12, booking requests: a portal client asks for a session (a room or any, 1–3 preferred windows, a
 * length, notes); staff approve it (one transaction creates the booking and marks the request approved)
 * or decline it with a reason; the client may withdraw it while it is pending.
 */
@Entity('booking_requests')
@Check('CHK_booking_requests_status', `"status" IN ('pending', 'approved', 'declined', 'withdrawn')`)
@Check('CHK_booking_requests_slots', `jsonb_typeof("preferred_slots") = 'array' AND jsonb_array_length("preferred_slots") BETWEEN 1 AND 3`)
@Check('CHK_booking_requests_duration', `"duration_minutes" BETWEEN 15 AND 1440`)
@Check('CHK_booking_requests_decided', `"status" = 'pending' OR "decided_at" IS NOT NULL`)
@Index('idx_booking_requests_status', ['status', 'createdAt'])
@Index('idx_booking_requests_client', ['clientId', 'createdAt'])
export class BookingRequest {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'client_id', type: 'uuid' })
  clientId: string;

  @ManyToOne(() => Client, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'client_id' })
  client?: Client;

  /** The contact who asked (kept when the account is removed: the request stays the client's). */
  @Column({ name: 'portal_account_id', type: 'uuid', nullable: true })
  portalAccountId: string | null;

  @ManyToOne(() => PortalAccount, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'portal_account_id' })
  portalAccount?: PortalAccount;

  /** The room asked for; null: any room (staff pick one when approving). */
  @Column({ name: 'room_id', type: 'uuid', nullable: true })
  roomId: string | null;

  @ManyToOne(() => Room, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'room_id' })
  room?: Room;

  @Column({ name: 'preferred_slots', type: 'jsonb' })
  preferredSlots: PreferredSlot[];

  @Column({ name: 'duration_minutes', type: 'integer' })
  durationMinutes: number;

  @Column({ type: 'text', nullable: true })
  notes: string | null;

  @Column({ type: 'varchar', length: 20, default: 'pending' })
  status: BookingRequestStatus;

  /** The member who approved or declined (control database id, no foreign key); null while pending or withdrawn. */
  @Column({ name: 'decided_by', type: 'uuid', nullable: true })
  decidedBy: string | null;

  @Column({ name: 'decided_at', type: 'timestamptz', nullable: true })
  decidedAt: Date | null;

  @Column({ name: 'decline_reason', type: 'varchar', length: 500, nullable: true })
  declineReason: string | null;

  @Column({ name: 'booking_id', type: 'uuid', nullable: true })
  bookingId: string | null;

  @ManyToOne(() => Booking, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'booking_id' })
  booking?: Booking;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
