import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { runs } from '../../db/schema/runs.js';
import { BadUserInputError, NotFoundError } from '../../services/errors.js';
import {
  backfillSchedule,
  getSchedule,
  listSchedules,
  pauseSchedule,
  saveNotebookAndSchedule,
  triggerSchedule,
  unpauseSchedule,
} from '../../services/schedules.js';
import { startTestStack, type TestStack } from '../helpers/loom-stack.js';

const notebook = (schedule: string | undefined) => `---
name: nightly-echo
${schedule ? `schedule: ${schedule}\n` : ''}params:
  greeting: { type: string, default: hello }
---
# Nightly echo

\`\`\`cell echo id=say
value: "\${params.greeting}"
\`\`\`
`;

async function until<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('notebook schedules on a real Temporal dev server', () => {
  let stack: TestStack;
  let deps: { db: TestStack['db']; temporal: TestStack['env']['client']; kinds: TestStack['kinds'] };
  const scheduledRuns = () => stack.db.orm.select().from(runs).where(eq(runs.launchedBy, 'schedule:schedule-nightly-echo'));

  beforeAll(async () => {
    stack = await startTestStack({ driver: 'pglite' });
    deps = { db: stack.db, temporal: stack.env.client, kinds: stack.kinds };
  });
  afterAll(async () => stack?.close());

  it('creates, updates, pauses, triggers, backfills and deletes the schedule as the notebook changes', async () => {
    const saved = await saveNotebookAndSchedule(deps, notebook('{ cron: "0 2 * * *", timezone: UTC, overlap: skip, params: { greeting: scheduled } }'));
    expect('issues' in saved).toBe(false);
    let info = await getSchedule(deps, 'nightly-echo');
    expect(info).toMatchObject({ id: 'schedule-nightly-echo', notebook: 'nightly-echo', cron: '0 2 * * *', timezone: 'UTC', overlap: 'skip', paused: false });
    expect(info.nextRunTimes.length).toBeGreaterThan(0);
    expect(info.nextRunTimes[0]!.getUTCHours()).toBe(2);
    expect(info.nextRunTimes[0]!.getUTCMinutes()).toBe(0);

    // Changing the front matter updates the same schedule.
    await saveNotebookAndSchedule(deps, notebook('{ cron: "30 3 * * 1", timezone: Europe/Paris, overlap: allow_all, params: { greeting: scheduled } }'));
    info = await getSchedule(deps, 'schedule-nightly-echo');
    expect(info).toMatchObject({ cron: '30 3 * * 1', timezone: 'Europe/Paris', overlap: 'allow_all' });
    const next = info.nextRunTimes[0]!;
    const paris = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Paris', weekday: 'short', hour: '2-digit', minute: '2-digit', hour12: false }).format(next);
    expect(paris).toBe('Mon 03:30');

    const listed = await until('the schedule to be listed', async () => (await listSchedules(deps)).find((s) => s.id === 'schedule-nightly-echo'));
    expect(listed.cron).toBe('30 3 * * 1');

    // A hostile note is stored as plain text without control or direction-override characters.
    info = await pauseSchedule(deps, 'nightly-echo', 'data fix \u202e<script>alert(1)</script>\n\u0000');
    expect(info.paused).toBe(true);
    expect(info.note).toBe('data fix  <script>alert(1)</script>');
    info = await unpauseSchedule(deps, 'nightly-echo', 'fixed');
    expect(info).toMatchObject({ paused: false, note: 'fixed' });

    // Trigger: the run is an ordinary run launched by the schedule, using the schedule's params.
    await triggerSchedule(deps, 'nightly-echo');
    const [first] = await until('the triggered run', async () => ((await scheduledRuns()).length > 0 ? await scheduledRuns() : undefined));
    const done = await stack.waitForRun(first!.id);
    expect(done.status).toBe('succeeded');
    expect(done.params).toEqual({ greeting: 'scheduled' });
    expect((await stack.cells(first!.id))[0]!.result).toMatchObject({ value: 'scheduled' });
    expect((await getSchedule(deps, 'nightly-echo')).lastRunId).toBe(first!.id);

    // Backfill two weeks: two Mondays at 03:30 Paris time.
    await backfillSchedule(deps, 'nightly-echo', { start: '2025-03-02T00:00:00Z', end: '2025-03-16T00:00:00Z' });
    const all = await until('two backfilled runs', async () => ((await scheduledRuns()).length >= 3 ? await scheduledRuns() : undefined));
    expect(all).toHaveLength(3);
    for (const r of all) expect((await stack.waitForRun(r.id)).status).toBe('succeeded');

    // Removing the front matter deletes the schedule.
    await saveNotebookAndSchedule(deps, notebook(undefined));
    await expect(getSchedule(deps, 'nightly-echo')).rejects.toThrow(NotFoundError);
  });

  it('refuses bad schedule input with messages that name the problem', async () => {
    const bad = await saveNotebookAndSchedule(deps, notebook('{ cron: "61 2 * * *" }').replace('nightly-echo', 'bad-cron'));
    expect('issues' in bad && bad.issues[0]?.message).toMatch(/61 is outside minute 0-59/);
    const backwards = await saveNotebookAndSchedule(deps, notebook('{ cron: "0 2 * 9-3 *" }').replace('nightly-echo', 'bad-cron'));
    expect('issues' in backwards && backwards.issues[0]?.message).toMatch(/month range "9-3" runs backwards/);

    await saveNotebookAndSchedule(deps, notebook('{ cron: "0 4 * * *" }').replace('nightly-echo', 'other-echo'));
    await expect(backfillSchedule(deps, 'other-echo', { start: '2025-03-10T00:00:00Z', end: '2025-03-01T00:00:00Z' })).rejects.toThrow(
      /end \(2025-03-01T00:00:00.000Z\) must be after its start/,
    );
    await expect(backfillSchedule(deps, 'other-echo', { start: 'yesterday', end: '2025-03-01T00:00:00Z' })).rejects.toThrow(/is not a time; use ISO 8601/);
    await expect(backfillSchedule(deps, 'other-echo', { start: '2020-01-01T00:00:00Z', end: '2025-03-01T00:00:00Z' })).rejects.toThrow(/at most 366 days/);
    await expect(pauseSchedule(deps, 'other-echo', 'x'.repeat(10_000))).rejects.toThrow(/at most 500 characters/);
    await expect(pauseSchedule(deps, 'no-such-notebook')).rejects.toThrow(NotFoundError);
    await expect(triggerSchedule(deps, '../../etc/passwd')).rejects.toThrow(BadUserInputError);
    await expect(triggerSchedule(deps, 'a'.repeat(1_000))).rejects.toThrow(BadUserInputError);
    expect((await getSchedule(deps, 'other-echo')).paused).toBe(false);
  });
});
