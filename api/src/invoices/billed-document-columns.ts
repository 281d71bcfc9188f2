import { Column, CreateDateColumn, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { Booking } from '../bookings/booking.entity.js';
import { Client } from '../clients/client.entity.js';
import { MINOR_UNITS } from '../money/minor-units-column.js';
import { Project } from '../projects/project.entity.js';

/**
 * The columns an invoice and a quote share: who it bills (a copy of the client's billing details),
 * what it belongs to, its free texts and its totals (money/'s result when the lines were last saved:
 * subtotal = net, tax, total = gross = subtotal + tax). Not an entity: TypeORM gives these columns to
 * each entity that extends it, under the same names, so both tables keep their migrations' shape.
 */
export abstract class BilledDocumentColumns {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'client_id', type: 'uuid' })
  clientId: string;

  @ManyToOne(() => Client, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'client_id' })
  client?: Client;

  @Column({ name: 'project_id', type: 'uuid', nullable: true })
  projectId: string | null;

  @ManyToOne(() => Project, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'project_id' })
  project?: Project;

  /** A quote's session, or a deposit invoice's booking (what the deposit secures). */
  @Column({ name: 'booking_id', type: 'uuid', nullable: true })
  bookingId: string | null;

  @ManyToOne(() => Booking, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'booking_id' })
  booking?: Booking;

  @Column({ type: 'character', length: 3 })
  currency: string;

  /** Set with the number (an invoice's finalization, a quote's sending): the studio's date then. */
  @Column({ name: 'issue_date', type: 'date', nullable: true })
  issueDate: string | null;

  @Column({ type: 'text', nullable: true })
  notes: string | null;

  @Column({ type: 'text', nullable: true })
  terms: string | null;

  /** The client's billing details, copied from the client while a draft, frozen once issued. */
  @Column({ name: 'bill_to_name', type: 'varchar', length: 200 })
  billToName: string;

  @Column({ name: 'bill_to_address', type: 'text', nullable: true })
  billToAddress: string | null;

  @Column({ name: 'bill_to_tax_id', type: 'varchar', length: 50, nullable: true })
  billToTaxId: string | null;

  @Column({ name: 'bill_to_email', type: 'varchar', length: 320, nullable: true })
  billToEmail: string | null;

  @Column({ name: 'subtotal_minor', type: 'bigint', default: 0, transformer: MINOR_UNITS })
  subtotalMinor: number;

  @Column({ name: 'tax_minor', type: 'bigint', default: 0, transformer: MINOR_UNITS })
  taxMinor: number;

  @Column({ name: 'total_minor', type: 'bigint', default: 0, transformer: MINOR_UNITS })
  totalMinor: number;

  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
