import { and, desc, eq } from 'drizzle-orm';
import { ScheduleAlreadyRunning, ScheduleNotFoundError, type ScheduleDescription } from '@temporalio/client';
import { LoomInputError } from '../core/errors.js';
import { KINDS } from '../kinds/index.js';
import { parseNotebook, type ScheduleSpec } from '../notebook/index.js';
import { notebooks, notebookVersions } from '../db/schema/notebooks.js';
import { runs } from '../db/schema/runs.js';
import { backfillRange, cleanNote, cronProblem, scheduleIdFor, toScheduleOptions, toTemporalOverlap } from '../schedules/index.js';
import type { OverlapPolicy } from '../notebook/types.js';
import { logger } from '../runtime/logger.js';
import type { ServiceDeps } from './deps.js';
import { BadUserInputError, NotFoundError } from './errors.js';
import { saveNotebook, type SaveNotebookResult } from './notebooks.js';

/** A notebook's schedule as Temporal reports it, plus the last run it launched. */
export interface ScheduleInfo {
  id: string;
  notebook: string;
  cron: string;
  timezone: string;
  overlap: string;
  paused: boolean;
  note: string | null;
  nextRunTimes: Date[];
  lastFiredAt: Date | null;
  /** The newest run launched by this schedule (from Postgres). */
  lastRunId: string | null;
}

const SCHEDULE_ID = /^schedule-[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;

/** Accepts `schedule-<notebook>` or the notebook name; anything else is refused before Temporal sees it. */
export function normaliseScheduleId(idOrNotebook: string): string {
  if (typeof idOrNotebook !== 'string' || idOrNotebook.length === 0 || idOrNotebook.length > 140) {
    throw new BadUserInputError('A schedule is named by its notebook ("spring-loyalty") or its id ("schedule-spring-loyalty").');
  }
  const id = idOrNotebook.startsWith('schedule-') ? idOrNotebook : scheduleIdFor(idOrNotebook);
  if (!SCHEDULE_ID.test(id)) {
    throw new BadUserInputError(`${JSON.stringify(idOrNotebook.slice(0, 60))} is not a notebook name or schedule id; names use letters, digits, "-", "_" and ".".`);
  }
  return id;
}

function asInputError<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof LoomInputError) throw new BadUserInputError(err.message);
    throw err;
  }
}

/** Creates the notebook's schedule, or updates it in place (keeping its paused state and note). */
export async function upsertSchedule(deps: Pick<ServiceDeps, 'temporal'>, notebook: string, schedule: ScheduleSpec): Promise<string> {
  const opts = asInputError(() => toScheduleOptions(notebook, schedule));
  try {
    await deps.temporal.schedule.create({ ...opts, state: { note: `created from notebook ${notebook}` } });
    return opts.scheduleId;
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
  }
  await deps.temporal.schedule.getHandle(opts.scheduleId).update((prev) => ({
    ...prev,
    spec: opts.spec,
    action: opts.action,
    policies: { ...prev.policies, overlap: opts.policies.overlap, catchupWindow: opts.policies.catchupWindow ?? prev.policies.catchupWindow },
  }));
  return opts.scheduleId;
}

/** Deletes the notebook's schedule; a schedule that is already gone is fine. */
export async function deleteSchedule(deps: Pick<ServiceDeps, 'temporal'>, notebook: string): Promise<boolean> {
  try {
    await deps.temporal.schedule.getHandle(scheduleIdFor(notebook)).delete();
    return true;
  } catch (err) {
    if (err instanceof ScheduleNotFoundError) return false;
    throw err;
  }
}

async function latestSchedule(deps: Pick<ServiceDeps, 'db' | 'kinds'>, name: string): Promise<ScheduleSpec | undefined> {
  const [row] = await deps.db.orm
    .select({ source: notebookVersions.source })
    .from(notebookVersions)
    .innerJoin(notebooks, eq(notebooks.id, notebookVersions.notebookId))
    .where(and(eq(notebooks.name, name), eq(notebookVersions.version, notebooks.latestVersion)))
    .limit(1);
  return row ? parseNotebook(row.source, deps.kinds ?? KINDS).notebook?.schedule : undefined;
}

/**
 * Saves a notebook (see `saveNotebook`) and keeps its Temporal Schedule in step with the latest
 * version: `schedule` front matter creates or updates it, removing the front matter deletes it.
 * Notebooks that never had a schedule cause no Temporal call.
 */
export async function saveNotebookAndSchedule(deps: ServiceDeps, source: string): Promise<SaveNotebookResult> {
  const parsed = parseNotebook(source, deps.kinds ?? KINDS).notebook;
  const name = parsed?.name;
  const problem = parsed?.schedule ? cronProblem(parsed.schedule.cron) : undefined;
  // Refused before anything is stored, like any other invalid front matter.
  if (problem) return { issues: [{ message: `schedule cron: ${problem}`, line: 1, column: 1, field: 'schedule.cron' }] };
  const before = name ? await latestSchedule(deps, name) : undefined;
  const saved = await saveNotebook(deps, source);
  if ('issues' in saved) return saved;
  // Re-saving an older version's text does not make it the latest: its schedule is not current.
  if (saved.version.version !== saved.notebook.latestVersion) return saved;
  const schedule = parseNotebook(saved.version.source, deps.kinds ?? KINDS).notebook?.schedule;
  try {
    if (schedule) await upsertSchedule(deps, saved.notebook.name, schedule);
    else if (before) await deleteSchedule(deps, saved.notebook.name);
  } catch (err) {
    if (err instanceof BadUserInputError) throw err;
    logger.error({ err, notebook: saved.notebook.name }, 'updating the notebook schedule failed');
    throw new Error(
      `Saved "${saved.notebook.name}" v${saved.version.version}, but Temporal did not accept its schedule (${err instanceof Error ? err.message : String(err)}); save it again to retry.`,
    );
  }
  return saved;
}

async function describe(deps: Pick<ServiceDeps, 'temporal'>, id: string): Promise<ScheduleDescription> {
  try {
    return await deps.temporal.schedule.getHandle(id).describe();
  } catch (err) {
    if (err instanceof ScheduleNotFoundError) {
      throw new NotFoundError(`No schedule ${JSON.stringify(id)}; add \`schedule: { cron: "0 2 * * *" }\` to the notebook's front matter and save it.`);
    }
    throw err;
  }
}

async function toInfo(deps: Pick<ServiceDeps, 'db' | 'kinds'>, d: ScheduleDescription): Promise<ScheduleInfo> {
  const notebook = d.scheduleId.replace(/^schedule-/, '');
  // Temporal keeps the cron only as calendars; the notebook's latest version says it as written.
  const spec = await latestSchedule(deps, notebook);
  const [last] = await deps.db.orm
    .select({ id: runs.id })
    .from(runs)
    .where(eq(runs.launchedBy, `schedule:${d.scheduleId}`))
    .orderBy(desc(runs.createdAt))
    .limit(1);
  const recent = d.info.recentActions.at(-1);
  return {
    id: d.scheduleId,
    notebook,
    cron: spec?.cron ?? '',
    timezone: d.spec.timezone ?? spec?.timezone ?? 'UTC',
    overlap: (d.policies.overlap ?? 'SKIP').toLowerCase(),
    paused: d.state.paused,
    note: d.state.note ?? null,
    nextRunTimes: d.info.nextActionTimes.slice(0, 5),
    lastFiredAt: recent?.takenAt ?? null,
    lastRunId: last?.id ?? null,
  };
}

export async function getSchedule(deps: Pick<ServiceDeps, 'db' | 'temporal' | 'kinds'>, idOrNotebook: string): Promise<ScheduleInfo> {
  return toInfo(deps, await describe(deps, normaliseScheduleId(idOrNotebook)));
}

/** Every Loom schedule (Temporal's list is eventually consistent: a new one may take a moment). */
export async function listSchedules(deps: Pick<ServiceDeps, 'db' | 'temporal' | 'kinds'>): Promise<ScheduleInfo[]> {
  const out: ScheduleInfo[] = [];
  for await (const s of deps.temporal.schedule.list({ pageSize: 100 })) {
    if (!s.scheduleId.startsWith('schedule-')) continue;
    try {
      out.push(await toInfo(deps, await deps.temporal.schedule.getHandle(s.scheduleId).describe()));
    } catch (err) {
      // Deleted between list and describe.
      if (!(err instanceof ScheduleNotFoundError)) throw err;
    }
  }
  return out.sort((a, b) => a.id.localeCompare(b.id));
}

export async function pauseSchedule(deps: Pick<ServiceDeps, 'db' | 'temporal' | 'kinds'>, idOrNotebook: string, note?: string): Promise<ScheduleInfo> {
  const id = normaliseScheduleId(idOrNotebook);
  const text = asInputError(() => cleanNote(note, 'paused'));
  await describe(deps, id);
  await deps.temporal.schedule.getHandle(id).pause(text);
  return getSchedule(deps, id);
}

export async function unpauseSchedule(deps: Pick<ServiceDeps, 'db' | 'temporal' | 'kinds'>, idOrNotebook: string, note?: string): Promise<ScheduleInfo> {
  const id = normaliseScheduleId(idOrNotebook);
  const text = asInputError(() => cleanNote(note, 'unpaused'));
  await describe(deps, id);
  await deps.temporal.schedule.getHandle(id).unpause(text);
  return getSchedule(deps, id);
}

/** Fires the schedule now (the run appears as an ordinary run launched by `schedule:<id>`). */
export async function triggerSchedule(deps: Pick<ServiceDeps, 'db' | 'temporal' | 'kinds'>, idOrNotebook: string): Promise<ScheduleInfo> {
  const id = normaliseScheduleId(idOrNotebook);
  await describe(deps, id);
  await deps.temporal.schedule.getHandle(id).trigger('ALLOW_ALL');
  return getSchedule(deps, id);
}

/** Takes the actions the schedule would have taken between `start` and `end`. */
export async function backfillSchedule(
  deps: Pick<ServiceDeps, 'db' | 'temporal' | 'kinds'>,
  idOrNotebook: string,
  range: { start: string | Date; end: string | Date; overlap?: OverlapPolicy | undefined },
): Promise<ScheduleInfo> {
  const id = normaliseScheduleId(idOrNotebook);
  const { start, end } = asInputError(() => backfillRange(range.start, range.end));
  const overlap = asInputError(() => toTemporalOverlap(range.overlap ?? 'allow_all'));
  await describe(deps, id);
  await deps.temporal.schedule.getHandle(id).backfill({ start, end, overlap });
  return getSchedule(deps, id);
}
