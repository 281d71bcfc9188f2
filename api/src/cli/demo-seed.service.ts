import type { INestApplicationContext } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuthService } from '../auth/auth.service.js';
import { PasswordHasher } from '../auth/password-hasher.service.js';
import { Client } from '../clients/client.entity.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { CONTROL_DATA_SOURCE } from '../control/control-database.js';
import { Membership } from '../control/membership.entity.js';
import { User } from '../control/user.entity.js';
import { EngineerProfile } from '../engineers/engineer-profile.entity.js';
import { Equipment } from '../equipment/equipment.entity.js';
import { Room } from '../rooms/room.entity.js';
import { StudioSettings } from '../studio/studio-settings.entity.js';
import { TenantDataSources } from '../tenancy/tenant-data-sources.service.js';
import { DemoBookings, type DemoBookingCounts } from './demo-bookings.js';
import { type DemoProjectCounts, DemoProjects } from './demo-projects.js';
import { CliError, EXIT } from './exit-codes.js';

export interface DemoStudio {
  organizationId: string;
  studioName: string;
  loginUrl: string;
  owner: { email: string; password: string };
  engineers: Array<{ email: string; password: string }>;
  counts: Record<string, number>;
  bookings: DemoBookingCounts;
  projects: DemoProjectCounts;
  /** What the demo cannot have yet: these parts of the product do not exist. */
  notYet: string[];
}

const NOT_YET = ['invoices', 'portal accounts'];

const WEEKDAYS = [1, 2, 3, 4, 5, 6].map((weekday) => ({ weekday, opens: '10:00', closes: weekday === 6 ? '18:00' : '22:00' }));

/**
 * `rsm seed --demo`: a demo studio with what the product has so far. The studio and its owner come from
 * the real sign-up (AuthService.register: template copy, registry, owner), then verified; engineers are
 * members; the studio's rows go in through its own pool (TenantDataSources), as the API's would.
 * Runs in the API's whole application context (sign-up needs most of it), so it is built from there.
 */
export class DemoSeed {
  constructor(
    private readonly config: AppConfig,
    private readonly control: DataSource,
    private readonly auth: AuthService,
    private readonly passwords: PasswordHasher,
    private readonly dataSources: TenantDataSources,
    private readonly demoBookings: DemoBookings,
    private readonly demoProjects: DemoProjects,
  ) {}

  static from(app: INestApplicationContext): DemoSeed {
    return new DemoSeed(app.get(APP_CONFIG), app.get(CONTROL_DATA_SOURCE), app.get(AuthService), app.get(PasswordHasher), app.get(TenantDataSources), DemoBookings.from(app), DemoProjects.from(app));
  }

  async seed({ email, password }: { email: string; password: string }): Promise<DemoStudio> {
    if (this.config.env === 'production') throw new CliError(EXIT.USAGE, 'rsm seed --demo makes a demo studio with known passwords: not in production');
    if (await this.control.getRepository(User).existsBy({ email })) throw new CliError(EXIT.USAGE, `${email} already has an account (the demo is seeded already?)`);
    const origin = this.config.signup.publicUrl ?? `http://localhost:${this.config.port}`;
    const { body } = await this.auth.register({ studioName: 'Demo Studio', name: 'Demo Owner', email, password }, origin);
    const organizationId = body.organization.id;
    // A demo needs no probation: its owner is "verified".
    await this.control.query(`UPDATE users SET email_verified_at = now() WHERE id = $1`, [body.user.id]);
    await this.control.query(`UPDATE organizations SET unverified_until = NULL WHERE id = $1`, [organizationId]);

    const engineers = [
      { name: 'Alex Engineer', email: email.replace('@', '+alex@'), specialties: 'tracking, mixing' },
      { name: 'Sam Engineer', email: email.replace('@', '+sam@'), specialties: 'mastering' },
    ];
    const engineerIds: string[] = [];
    for (const engineer of engineers) {
      const user = await this.control.getRepository(User).save({
        name: engineer.name,
        email: engineer.email,
        passwordHash: await this.passwords.hash(password),
        emailVerifiedAt: new Date(),
      });
      await this.control.getRepository(Membership).insert({ organizationId, userId: user.id, role: 'engineer' });
      engineerIds.push(user.id);
    }

    const timeZone = 'Europe/Paris';
    const { counts, resources } = await this.dataSources.withTenant(organizationId, (ds) =>
      ds.transaction(async (m) => {
        await m.getRepository(StudioSettings).update({ id: 1 }, { timeZone, defaultCurrency: 'EUR', openingHours: WEEKDAYS, defaultSetupMinutes: 15, defaultTeardownMinutes: 15 });
        const roomRepo = m.getRepository(Room);
        const rooms: Room[] = await roomRepo.save(roomRepo.create([
          { name: 'Studio A', description: 'Live room and SSL control room', capacity: 8, hourlyRateMinor: 6000, dayRateMinor: 45000, currency: 'EUR', colour: '#6366f1' },
          { name: 'Studio B', description: 'Mix room', capacity: 3, hourlyRateMinor: 3500, dayRateMinor: 25000, currency: 'EUR', colour: '#10b981' },
          { name: 'Vocal booth', capacity: 1, hourlyRateMinor: 2000, currency: 'EUR', colour: '#f59e0b', minLengthMinutes: 60 },
        ]));
        const equipmentRepo = m.getRepository(Equipment);
        const equipment: Equipment[] = await equipmentRepo.save(equipmentRepo.create([
          { name: 'Neumann U87 Ai', category: 'microphone', serialNumber: 'U87-1042', homeRoomId: rooms[0].id, rateMinor: 1500, rateUnit: 'session', currency: 'EUR' },
          { name: 'Shure SM7B', category: 'microphone', homeRoomId: rooms[2].id },
          { name: 'Universal Audio 1176', category: 'outboard', homeRoomId: rooms[0].id },
          { name: 'Fender Rhodes Mk I', category: 'instrument', rateMinor: 4000, rateUnit: 'session', currency: 'EUR' },
          { name: 'Yamaha NS-10', category: 'monitoring', homeRoomId: rooms[1].id, status: 'maintenance', notes: 'Tweeter replacement' },
        ]));
        await m.getRepository(EngineerProfile).save(engineerIds.map((userId, i) => ({ userId, workingHours: WEEKDAYS.slice(i, i + 5), specialties: engineers[i].specialties })));
        const clients = ['The Midnight Owls', 'Clara Voss', 'Northbound Records', 'Jonas & the Tide', 'Velvet Static', 'Ada Okafor', 'Blue Hour Quartet', 'Mara Lind'];
        const savedClients = await m.getRepository(Client).save(
          clients.map((name, i) => ({ name, email: `${name.toLowerCase().replace(/[^a-z]+/g, '.')}@example.com`, company: i % 3 === 2 ? name : null, phone: `+33 1 23 45 67 ${10 + i}` })),
        );
        return {
          counts: { rooms: rooms.length, equipment: equipment.length, engineers: engineerIds.length, clients: clients.length },
          resources: { rooms: rooms.map((r) => r.id) as [string, string, string], equipment: equipment.map((e) => e.id), clients: savedClients.map((c) => c.id) },
        };
      }),
    );
    const owner = { userId: body.user.id, email };
    // Projects first: the past sessions in the calendar are the album's (DemoBookings books them for it).
    const projects = await this.demoProjects.seed({ organizationId, owner, mixEngineer: { userId: engineerIds[0], email: engineers[0].email }, timeZone, clients: resources.clients });
    const bookings = await this.demoBookings.seed({ organizationId, owner, timeZone, engineers: engineerIds as [string, string], album: projects.album, ...resources });
    return {
      organizationId,
      studioName: body.organization.name,
      loginUrl: `${origin}/login`,
      owner: { email, password },
      engineers: engineers.map((e) => ({ email: e.email, password })),
      counts,
      bookings,
      projects: projects.counts,
      notYet: NOT_YET,
    };
  }
}
