import type { JsonValue } from '../core/mime.js';
import { TASK_QUEUES } from '../core/queues.js';
import { LoomInputError } from '../core/errors.js';
import type { OverlapPolicy, ScheduleSpec } from '../notebook/types.js';
import { cronProblem } from './cron.js';

/** Workflow type the schedule starts; it plans the run at trigger time from the latest version. */
export const SCHEDULED_RUN_WORKFLOW = 'scheduledRun';

/** The Temporal overlap policies, in the SDK's spelling. */
export type TemporalOverlap = 'SKIP' | 'BUFFER_ONE' | 'BUFFER_ALL' | 'CANCEL_OTHER' | 'TERMINATE_OTHER' | 'ALLOW_ALL';

const OVERLAP: Record<OverlapPolicy, TemporalOverlap> = {
  skip: 'SKIP',
  buffer_one: 'BUFFER_ONE',
  buffer_all: 'BUFFER_ALL',
  cancel_other: 'CANCEL_OTHER',
  terminate_other: 'TERMINATE_OTHER',
  allow_all: 'ALLOW_ALL',
};

/** What the `scheduledRun` workflow receives each time the schedule fires. */
export interface ScheduledRunInput {
  notebook: string;
  params: Record<string, JsonValue>;
  scheduleId: string;
}

/** Everything `client.schedule.create` needs, in plain data (no SDK types, so it stays pure). */
export interface ScheduleOptions {
  scheduleId: string;
  spec: { cronExpressions: string[]; timezone: string };
  action: {
    type: 'startWorkflow';
    workflowType: typeof SCHEDULED_RUN_WORKFLOW;
    workflowId: string;
    taskQueue: string;
    args: [ScheduledRunInput];
  };
  policies: { overlap: TemporalOverlap; catchupWindow?: number };
}

/** Schedule ids are derived from the notebook name, so saving a notebook finds its schedule again. */
export function scheduleIdFor(notebook: string): string {
  return `schedule-${notebook}`;
}

export function toTemporalOverlap(policy: OverlapPolicy): TemporalOverlap {
  const mapped = OVERLAP[policy];
  if (!mapped) {
    throw new LoomInputError(`Unknown overlap policy ${JSON.stringify(String(policy).slice(0, 40))}; use one of ${Object.keys(OVERLAP).join(', ')}.`);
  }
  return mapped;
}

/** Turns a notebook's `schedule` front matter into Temporal Schedule options. */
export function toScheduleOptions(notebook: string, schedule: ScheduleSpec): ScheduleOptions {
  const problem = cronProblem(schedule.cron);
  if (problem) throw new LoomInputError(`Notebook "${notebook}" schedule: ${problem}.`);
  const scheduleId = scheduleIdFor(notebook);
  return {
    scheduleId,
    spec: { cronExpressions: [schedule.cron], timezone: schedule.timezone },
    action: {
      type: 'startWorkflow',
      workflowType: SCHEDULED_RUN_WORKFLOW,
      // Temporal appends the fire time, so each firing gets its own workflow id.
      workflowId: `scheduled-${notebook}`,
      taskQueue: TASK_QUEUES.cpu,
      args: [{ notebook, params: schedule.params, scheduleId }],
    },
    policies: {
      overlap: toTemporalOverlap(schedule.overlap),
      ...(schedule.catchupWindowMs !== undefined ? { catchupWindow: schedule.catchupWindowMs } : {}),
    },
  };
}
