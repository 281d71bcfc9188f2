import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { DailyHours } from '../studio/studio-settings.entity.js';

/**
 * Scheduling facts about a member with the engineer role. The member (user id, name, role) lives in the
 * control database; this row, keyed by the same user id, holds what only this studio knows about them.
 */
@Entity('engineer_profiles')
export class EngineerProfile {
  /** The control database's users.id (no foreign key: another database). */
  @PrimaryColumn({ name: 'user_id', type: 'uuid' })
  userId: string;

  /** Weekly working hours in the studio's time zone; a weekday absent from the list is a day off. */
  @Column({ name: 'working_hours', type: 'jsonb', default: () => `'[]'` })
  workingHours: DailyHours[];

  @Column({ type: 'varchar', length: 200, nullable: true })
  specialties: string | null;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
