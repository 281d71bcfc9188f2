import type { EntityManager } from 'typeorm';
import { Not, In } from 'typeorm';
import { billableSummary } from '../bookings/booking-view.js';
import { Booking } from '../bookings/booking.entity.js';
import { StudioSettings } from '../studio/studio-settings.entity.js';
import type { ProjectSummaryDto } from './dto/project.dto.js';

/** Bookings that did not take place count for nothing. */
const NOT_COUNTED = ['cancelled', 'no_show'] as const;

/**
 * The project's figures. Amounts come from the bookings' own billable summary (room at the snapshot rate
 * or day rate, equipment, overtime once checked out), so the project page and the booking agree to the
 * cent; only bookings in the studio's currency are added up (a sum of two currencies means nothing).
 * Counts of files and deliverables read the tables directly: they belong to other modules.
 */
export async function projectSummary(m: EntityManager, projectId: string): Promise<ProjectSummaryDto> {
  const studio = await m.getRepository(StudioSettings).findOneByOrFail({ id: 1 });
  const currency = studio.defaultCurrency.trim();
  const bookings = await m.getRepository(Booking).find({ where: { projectId, status: Not(In([...NOT_COUNTED])) }, order: { startsAt: 'ASC' } });
  let bookedMinutes = 0;
  let bookedAmountMinor = 0;
  for (const booking of bookings) {
    bookedMinutes += Math.round((booking.endsAt.getTime() - booking.startsAt.getTime()) / 60_000);
    const bill = await billableSummary(m, booking);
    if (bill.currency === currency) bookedAmountMinor += bill.totalMinor;
  }
  const [counts] = (await m.query(
    `SELECT
       (SELECT count(*) FROM tracks WHERE project_id = $1)::int AS track_count,
       (SELECT count(*) FROM files WHERE project_id = $1)::int AS file_count,
       (SELECT coalesce(sum(size_bytes), 0) FROM files WHERE project_id = $1)::bigint AS storage_bytes,
       (SELECT count(*) FROM deliverables WHERE project_id = $1)::int AS deliverable_count,
       (SELECT count(*) FROM deliverables WHERE project_id = $1 AND status = 'approved')::int AS approved_count,
       (SELECT coalesce(sum(rounds_used), 0) FROM deliverables WHERE project_id = $1)::int AS rounds_used,
       (SELECT count(*) FROM deliverable_versions v JOIN deliverables d ON d.id = v.deliverable_id WHERE d.project_id = $1 AND v.extra_round)::int AS extra_rounds`,
    [projectId],
  )) as Array<{ track_count: number; file_count: number; storage_bytes: string; deliverable_count: number; approved_count: number; rounds_used: number; extra_rounds: number }>;
  return {
    bookingCount: bookings.length,
    bookedMinutes,
    bookedAmountMinor,
    currency,
    trackCount: counts.track_count,
    fileCount: counts.file_count,
    storageBytes: Number(counts.storage_bytes),
    deliverableCount: counts.deliverable_count,
    approvedDeliverableCount: counts.approved_count,
    revisionRoundsUsed: counts.rounds_used,
    extraRounds: counts.extra_rounds,
  };
}
