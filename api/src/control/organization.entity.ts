import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/** A studio: one tenant of the platform. */
@Entity('organizations')
export class Organization {
  @PrimaryColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ type: 'varchar', length: 80, unique: true })
  slug: string;

  /**
   * Until when the studio may be used while its owner's email is unverified; null once verified
   * (and for studios that predate verification). Past it the studio is suspended, and a grace
   * period later its database is dropped (see UnverifiedStudios).
   */
  @Index()
  @Column({ name: 'unverified_until', type: 'timestamptz', nullable: true })
  unverifiedUntil: Date | null;

  /** When the maintenance job recorded the suspension; null while the studio is in good standing. */
  @Column({ name: 'suspended_at', type: 'timestamptz', nullable: true })
  suspendedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
