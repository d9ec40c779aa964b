import { proxyActivities } from '@temporalio/workflow';
import type { RunStatus } from '../core/status.js';
import type { ScheduleActivities, ScheduledRunInput } from '../activities/schedules.js';

const launcher = proxyActivities<ScheduleActivities>({
  taskQueue: 'loom-cpu',
  startToCloseTimeout: '1 minute',
  retry: { maximumAttempts: 5, initialInterval: '1s', nonRetryableErrorTypes: ['LoomInputError'] },
});

const waiter = proxyActivities<ScheduleActivities>({
  taskQueue: 'loom-cpu',
  startToCloseTimeout: '70 minutes',
  heartbeatTimeout: '30 seconds',
  retry: { initialInterval: '1s', maximumInterval: '1 minute' },
});

/**
 * What a notebook's Temporal Schedule starts: launches an ordinary run of the notebook's latest
 * version, then waits for it so the schedule's overlap policy (skip, buffer, cancel) sees the run
 * as still in progress.
 */
export async function scheduledRun(input: ScheduledRunInput): Promise<{ runId: string; status: RunStatus }> {
  const runId = await launcher.launchScheduledRun(input);
  for (;;) {
    const status = await waiter.awaitScheduledRun({ runId });
    if (status) return { runId, status };
  }
}
