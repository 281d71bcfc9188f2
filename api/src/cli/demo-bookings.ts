import type { INestApplicationContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { DateTime } from 'luxon';
import type { Principal } from '../auth/auth.types.js';
import { BookingChangesService } from '../bookings/booking-changes.service.js';
import { BookingsService } from '../bookings/bookings.service.js';
import type { CreateBookingDto } from '../bookings/dto/booking-input.dto.js';
import { RequestContext } from '../common/request-context.js';
import { TenantConnection } from '../tenancy/tenant-connection.js';

/** What the demo's bookings are made with (ids of the rows the demo seed has just created). */
export interface DemoResources {
  organizationId: string;
  owner: { userId: string; email: string };
  timeZone: string;
  /** Studio A, Studio B, Vocal booth. */
  rooms: [string, string, string];
  /** Alex (works Monday–Friday), Sam (Tuesday–Saturday). */
  engineers: [string, string];
  /** U87, SM7B, 1176, Rhodes, NS-10 (in maintenance: never booked). */
  equipment: string[];
  clients: string[];
  /** The demo album (DemoProjects): its client's index in `clients`, and the project the past sessions were for. */
  album: { projectId: string; client: number };
}

export interface DemoBookingCounts {
  /** One-off confirmed sessions over the coming three weeks. */
  confirmed: number;
  /** Occurrences of the weekly series. */
  recurring: number;
  holds: number;
  /** Past sessions, checked in and out. */
  completed: number;
  total: number;
}

type Slot = Omit<CreateBookingDto, 'startsAt' | 'endsAt' | 'clientId'> & { day: DateTime; from: string; to: string; client: number };

const FUTURE_DAYS = 21;
const SUNDAY = 7;

/**
 * The demo's calendar, made through the API's own services (BookingsService.create/createSeries and
 * BookingChangesService.check) acting as the owner, so booking rules, conflict checks, hold expiry jobs,
 * rate snapshots and audit entries are the real ones. Slots are a fixed week pattern in the studio's time
 * zone starting tomorrow (never today: no slot can already have started), chosen so that no room,
 * engineer or equipment item is booked twice, whatever day the seed runs: it succeeds every time.
 */
export class DemoBookings {
  constructor(
    private readonly bookings: BookingsService,
    private readonly changes: BookingChangesService,
    private readonly context: RequestContext,
    private readonly tenant: TenantConnection,
  ) {}

  static from(app: INestApplicationContext): DemoBookings {
    return new DemoBookings(app.get(BookingsService), app.get(BookingChangesService), app.get(RequestContext), app.get(TenantConnection));
  }

  async seed(r: DemoResources, now = DateTime.now()): Promise<DemoBookingCounts> {
    return asCaller(this.context, demoPrincipal(r.organizationId, r.owner.userId, 'owner', r.owner.email), async () => {
      const today = now.setZone(r.timeZone).startOf('day');
      const days = (offsets: number[]) => offsets.map((d) => today.plus({ days: d })).filter((d) => d.weekday !== SUNDAY);
      const future = days(Array.from({ length: FUTURE_DAYS }, (_, i) => i + 1));

      let confirmed = 0;
      for (const slot of weekPattern(future, r)) {
        await this.bookings.create(this.dto(slot, r));
        confirmed++;
      }

      // A weekly vocal coaching series on Thursday evenings (the booth is left free then by the week pattern).
      const thursday = future.find((d) => d.weekday === 4)!;
      const series = await this.bookings.createSeries({
        ...this.dto({ day: thursday, from: '18:00', to: '20:00', client: 7, roomId: r.rooms[2], title: 'Vocal coaching', engineerIds: [r.engineers[0]], equipmentIds: [r.equipment[1]] }, r),
        recurrence: { rrule: 'FREQ=WEEKLY;COUNT=3' },
      });

      // Two pencilled-in sessions on Mondays of the next weeks (Studio B is free on Mondays), released in a few days unless confirmed.
      const mondays = future.filter((d) => d.weekday === 1 && d.diff(today, 'days').days >= 8).slice(0, 2);
      for (const [i, monday] of mondays.entries()) {
        await this.bookings.create({
          ...this.dto({ day: monday, from: '12:00', to: '16:00', client: 2 + i, roomId: r.rooms[1], title: i === 0 ? 'Album pre-production (pencilled)' : 'Live session (pencilled)' }, r),
          status: 'hold',
          holdExpiresAt: now.plus({ days: 3 + i }).toUTC().toISO()!,
        });
      }

      // Three past sessions of the album's client, recorded for the album (a project of that client, as the
      // booking service checks), checked in and out. They are in the past, so the owner overrides the booking rules
      // (recorded in the audit log, as in the app); check-in/out stamp "now", so the actual times are then set to
      // the session's own (a little late in, a little early out), as if it had been checked in on the day.
      const past = days([-1, -2, -3, -4, -5, -6, -7, -8]).slice(0, 3);
      for (const day of past) {
        const engineerIds = day.weekday <= 5 ? [r.engineers[0]] : [];
        const booking = await this.bookings.create({ ...this.dto({ day, from: '10:30', to: '14:00', client: r.album.client, roomId: r.rooms[0], title: 'Album tracking (done)', engineerIds }, r), projectId: r.album.projectId, overrideRules: true });
        await this.changes.check(booking.id, 'in');
        await this.changes.check(booking.id, 'out');
        await this.tenant.run((m) =>
          m.query(`UPDATE bookings SET actual_start_at = starts_at + interval '5 minutes', actual_end_at = ends_at - interval '10 minutes' WHERE id = $1`, [booking.id]),
        );
      }

      const counts = { confirmed, recurring: series.items.length, holds: mondays.length, completed: past.length };
      return { ...counts, total: counts.confirmed + counts.recurring + counts.holds + counts.completed };
    });
  }

  private dto({ day, from, to, client, ...rest }: Slot, r: DemoResources): CreateBookingDto {
    const at = (hhmm: string) => {
      const [hour, minute] = hhmm.split(':').map(Number);
      return day.set({ hour, minute }).toUTC().toISO()!;
    };
    return { ...rest, clientId: r.clients[client % r.clients.length], startsAt: at(from), endsAt: at(to) };
  }
}

/** A member of the demo studio as the API's session would name them. */
export function demoPrincipal(organizationId: string, userId: string, role: Principal['role'], label: string): Principal {
  return { userId, organizationId, role, sessionId: 'rsm-seed', label, studioSuspended: false, studioReadOnly: false };
}

/** Runs `fn` as `caller` would in a request: TenantConnection, the audit log and the booking rules read the caller from RequestContext. */
export function asCaller<T>(context: RequestContext, caller: Principal, fn: () => Promise<T>): Promise<T> {
  return new Promise((resolve, reject) => context.run({ user: caller } as unknown as FastifyRequest, () => void fn().then(resolve, reject)));
}

/**
 * The studio's usual week (opening hours Mon–Fri 10–22, Sat 10–18). Studio A: tracking every weekday
 * morning with Alex (U87 + 1176), an afternoon session with Alex and the Rhodes on Mon/Wed/Fri, a
 * Saturday session with Sam. Studio B: mixing with Sam Tue–Fri afternoons every other day. Vocal booth:
 * mornings on some weekdays, never Thursday evening (the series). Each resource has one session at a time.
 */
function weekPattern(days: DateTime[], r: DemoResources): Slot[] {
  const [studioA, studioB, booth] = r.rooms;
  const [alex, sam] = r.engineers;
  const [u87, sm7b, urei1176, rhodes] = r.equipment;
  const slots: Slot[] = [];
  days.forEach((day, i) => {
    const wd = day.weekday;
    if (wd <= 5) {
      slots.push({ day, from: '10:30', to: '14:00', client: i, roomId: studioA, title: 'Tracking', engineerIds: [alex], equipmentIds: [u87, urei1176] });
      if (wd % 2 === 1) slots.push({ day, from: '15:00', to: '19:00', client: i + 3, roomId: studioA, title: 'Overdubs', engineerIds: [alex], equipmentIds: [rhodes] });
    } else {
      slots.push({ day, from: '11:00', to: '17:00', client: i + 1, roomId: studioA, title: 'Weekend band session', engineerIds: [sam] });
    }
    if (wd >= 2 && wd <= 5 && i % 2 === 0) slots.push({ day, from: '14:00', to: '18:00', client: i + 5, roomId: studioB, title: 'Mixing', engineerIds: [sam] });
    if (wd !== 4 && wd <= 5 && i % 3 !== 1) slots.push({ day, from: '11:00', to: '13:00', client: i + 2, roomId: booth, title: 'Vocals', equipmentIds: [sm7b] });
  });
  return slots;
}
