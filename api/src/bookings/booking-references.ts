import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, In } from 'typeorm';
import { Client } from '../clients/client.entity.js';
import { ProblemException, ValidationProblem } from '../common/problem.js';
import { CONTROL_DATA_SOURCE } from '../control/control-database.js';
import { Project } from '../projects/project.entity.js';
import { EngineerTimeOff } from '../engineers/engineer-time-off.entity.js';
import { Equipment } from '../equipment/equipment.entity.js';
import { Room } from '../rooms/room.entity.js';
import { StudioSettings } from '../studio/studio-settings.entity.js';
import { BookingRuleProblem } from './booking-problems.js';

/** Roles that may be assigned to a session as its engineer (issue 7's hierarchy: engineer and above). */
const ENGINEER_ROLES = ['engineer', 'admin', 'owner'];

const unknownReference = (field: string, message: string) => new ValidationProblem([{ field, messages: [message] }], 'The booking names something that is not in your studio.');

/**
 * Checks what a booking refers to, in the caller's tenant transaction: ids of another studio simply are
 * not in this studio's database (or, for engineers, not its members), so they read as unknown: a 400
 * naming the field, and nothing is written.
 */
@Injectable()
export class BookingReferences {
  constructor(@Inject(CONTROL_DATA_SOURCE) private readonly control: DataSource) {}

  studio(m: EntityManager): Promise<StudioSettings> {
    return m.getRepository(StudioSettings).findOneByOrFail({ id: 1 });
  }

  async client(m: EntityManager, id: string): Promise<Client> {
    const client = await m.getRepository(Client).findOneBy({ id });
    if (!client) throw unknownReference('clientId', 'no client with this id in your studio');
    return client;
  }

  /**
   * Issue 10, projects: the project a booking belongs to must be one of this studio's, and of the
   * booking's client (its sessions are billed to that client). Locked FOR KEY SHARE: not deleted meanwhile.
   */
  async project(m: EntityManager, id: string, clientId: string): Promise<void> {
    const project = await m.getRepository(Project).findOne({ where: { id }, lock: { mode: 'pessimistic_read' } });
    if (!project) throw unknownReference('projectId', 'no project with this id in your studio');
    if (project.clientId !== clientId) throw unknownReference('projectId', "this project belongs to another client than the booking's");
  }

  /** The room, locked FOR KEY SHARE so it cannot be deleted under the booking being written. */
  async room(m: EntityManager, id: string): Promise<Room> {
    const room = await m.getRepository(Room).findOne({ where: { id }, lock: { mode: 'pessimistic_read' } });
    if (!room) throw unknownReference('roomId', 'no room with this id in your studio');
    if (!room.active) throw new ProblemException(HttpStatus.BAD_REQUEST, 'room-inactive', 'This room is inactive and takes no new bookings.');
    return room;
  }

  /** Each id must be a member of this studio with the engineer role or above (control database). */
  async engineers(organizationId: string, ids: string[]): Promise<void> {
    if (!ids.length) return;
    const rows = (await this.control.query(
      `SELECT user_id FROM memberships WHERE organization_id = $1 AND user_id = ANY($2::uuid[]) AND role::text = ANY($3::text[])`,
      [organizationId, ids, ENGINEER_ROLES],
    )) as Array<{ user_id: string }>;
    const found = new Set(rows.map((r) => r.user_id));
    const missing = ids.filter((id) => !found.has(id));
    if (missing.length) throw unknownReference('engineerIds', `not members of your studio with the engineer role: ${missing.join(', ')}`);
  }

  /** No assigned engineer may be on time off during the session. */
  async engineersAvailable(m: EntityManager, ids: string[], startsAt: Date, endsAt: Date): Promise<void> {
    if (!ids.length) return;
    const away = await m
      .getRepository(EngineerTimeOff)
      .createQueryBuilder('t')
      .where('t.user_id = ANY(:ids) AND t.starts_at < :endsAt AND t.ends_at > :startsAt', { ids, startsAt, endsAt })
      .getMany();
    if (away.length) throw new BookingRuleProblem('engineer_time_off', `An assigned engineer is on time off then (${[...new Set(away.map((t) => t.userId))].join(', ')}).`);
  }

  /** Each item must exist and be available (not in maintenance, not retired). */
  async equipment(m: EntityManager, ids: string[]): Promise<void> {
    if (!ids.length) return;
    const items = await m.getRepository(Equipment).find({ where: { id: In(ids) }, lock: { mode: 'pessimistic_read' } });
    const found = new Set(items.map((i) => i.id));
    const missing = ids.filter((id) => !found.has(id));
    if (missing.length) throw unknownReference('equipmentIds', `no equipment with these ids in your studio: ${missing.join(', ')}`);
    const unavailable = items.filter((i) => i.status !== 'available');
    if (unavailable.length) {
      throw new ProblemException(
        HttpStatus.BAD_REQUEST,
        'equipment-unavailable',
        `Not available for booking (maintenance or retired): ${unavailable.map((i) => i.name).join(', ')}.`,
      );
    }
  }
}
