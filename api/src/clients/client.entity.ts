import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/** A studio's customer (band, artist, label). Lives in the tenant database. */
@Entity('clients')
@Index('idx_clients_name_order', { synchronize: false }) // expression index (lower(name), id): created by migration
@Index('idx_clients_created_order', ['createdAt', 'id'])
export class Client {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ type: 'varchar', length: 320, nullable: true })
  email: string | null;

  @Column({ type: 'varchar', length: 50, nullable: true })
  phone: string | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  company: string | null;

  @Column({ type: 'text', nullable: true })
  notes: string | null;

  /** Issue 11: printed on invoices as the bill-to address (copied onto each invoice when it is finalized). */
  @Column({ name: 'billing_address', type: 'text', nullable: true })
  billingAddress: string | null;

  /** Issue 11: the client's VAT or other tax id, printed on invoices. */
  @Column({ name: 'tax_id', type: 'varchar', length: 50, nullable: true })
  taxId: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
