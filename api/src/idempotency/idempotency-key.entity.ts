import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/**
 * A write made with an `Idempotency-Key` header (sending an invoice, recording a payment…): the first
 * request's answer is stored, in the same transaction as its effect, and a retry with the same key
 * gets that answer again instead of doing it twice. `scope` names the operation and its target
 * (e.g. `invoice.send:<id>`); the same key with a different request body is refused (422).
 */
@Entity('idempotency_keys')
export class IdempotencyKey {
  @PrimaryColumn({ type: 'varchar', length: 120 })
  scope: string;

  @PrimaryColumn({ type: 'varchar', length: 255 })
  key: string;

  /** SHA-256 (hex) of the request body. */
  @Column({ name: 'request_hash', type: 'character', length: 64 })
  requestHash: string;

  @Column({ name: 'status_code', type: 'integer' })
  statusCode: number;

  @Column({ type: 'jsonb', nullable: true })
  response: unknown;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
