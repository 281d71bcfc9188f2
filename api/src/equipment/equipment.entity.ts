import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { Room } from '../rooms/room.entity.js';

export const EQUIPMENT_STATUSES = ['available', 'maintenance', 'retired'] as const;
export type EquipmentStatus = (typeof EQUIPMENT_STATUSES)[number];
export const EQUIPMENT_RATE_UNITS = ['hour', 'session'] as const;
export type EquipmentRateUnit = (typeof EQUIPMENT_RATE_UNITS)[number];

/** A microphone, outboard unit, instrument…: lives in a room (homeRoomId) or is portable (null). */
@Entity('equipment')
@Index('idx_equipment_name_order', { synchronize: false }) // expression index (lower(name), id): created by migration
@Index('idx_equipment_home_room', ['homeRoomId']) // the list's room filter, and the foreign key's ON DELETE SET NULL
@Check('CHK_equipment_status', `"status" IN ('available', 'maintenance', 'retired')`)
@Check('CHK_equipment_rate', `"rate_minor" IS NULL OR ("rate_minor" >= 0 AND "currency" IS NOT NULL)`)
@Check('CHK_equipment_rate_unit', `"rate_unit" IN ('hour', 'session')`)
export class Equipment {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ type: 'varchar', length: 80 })
  category: string;

  @Column({ name: 'serial_number', type: 'varchar', length: 120, nullable: true })
  serialNumber: string | null;

  @Column({ name: 'home_room_id', type: 'uuid', nullable: true })
  homeRoomId: string | null;

  @ManyToOne(() => Room, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'home_room_id' })
  homeRoom?: Room | null;

  @Column({ type: 'varchar', length: 20, default: 'available' })
  status: EquipmentStatus;

  /** Rental price per `rateUnit`, in minor units of `currency`; null = included. */
  @Column({ name: 'rate_minor', type: 'integer', nullable: true })
  rateMinor: number | null;

  @Column({ name: 'rate_unit', type: 'varchar', length: 10, default: 'session' })
  rateUnit: EquipmentRateUnit;

  @Column({ type: 'char', length: 3, nullable: true })
  currency: string | null;

  @Column({ type: 'text', nullable: true })
  notes: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
