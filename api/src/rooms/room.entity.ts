import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { DailyHours } from '../studio/studio-settings.entity.js';

/** A bookable room (live room, control room, booth). Money in minor units of `currency`. */
@Entity('rooms')
@Index('idx_rooms_name_unique', { synchronize: false }) // unique expression index lower(name): created by migration
@Check('CHK_rooms_rates', `"hourly_rate_minor" >= 0 AND ("day_rate_minor" IS NULL OR "day_rate_minor" >= 0)`)
@Check('CHK_rooms_capacity', `"capacity" IS NULL OR "capacity" >= 1`)
@Check(
  'CHK_rooms_lengths',
  `"min_notice_minutes" >= 0 AND "min_length_minutes" >= 1 AND ("max_length_minutes" IS NULL OR "max_length_minutes" >= "min_length_minutes")`,
)
export class Room {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 120 })
  name: string;

  @Column({ type: 'text', nullable: true })
  description: string | null;

  @Column({ type: 'integer', nullable: true })
  capacity: number | null;

  @Column({ name: 'hourly_rate_minor', type: 'integer', default: 0 })
  hourlyRateMinor: number;

  /** Flat price for a whole day; a booking bills the cheaper of hours × rate and this. */
  @Column({ name: 'day_rate_minor', type: 'integer', nullable: true })
  dayRateMinor: number | null;

  @Column({ type: 'char', length: 3 })
  currency: string;

  /** "#rrggbb", the room's colour in the calendar. */
  @Column({ type: 'varchar', length: 7, default: '#6366f1' })
  colour: string;

  /** Inactive rooms keep their history but take no new bookings. */
  @Column({ type: 'boolean', default: true })
  active: boolean;

  @Column({ name: 'min_notice_minutes', type: 'integer', default: 0 })
  minNoticeMinutes: number;

  @Column({ name: 'min_length_minutes', type: 'integer', default: 30 })
  minLengthMinutes: number;

  @Column({ name: 'max_length_minutes', type: 'integer', nullable: true })
  maxLengthMinutes: number | null;

  /** Overrides the studio's opening hours for this room; null = the studio's. */
  @Column({ name: 'opening_hours', type: 'jsonb', nullable: true })
  openingHours: DailyHours[] | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
