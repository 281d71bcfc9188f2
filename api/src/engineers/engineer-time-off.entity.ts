import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** A period an engineer is away (holiday, sick leave): no booking may assign them during it. */
@Entity('engineer_time_off')
@Index('idx_engineer_time_off_user', ['userId', 'startsAt'])
@Check('CHK_engineer_time_off_order', `"ends_at" > "starts_at"`)
export class EngineerTimeOff {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @Column({ name: 'starts_at', type: 'timestamptz' })
  startsAt: Date;

  @Column({ name: 'ends_at', type: 'timestamptz' })
  endsAt: Date;

  @Column({ type: 'varchar', length: 200, nullable: true })
  reason: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
