import crypto from 'node:crypto';
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { eq } from 'drizzle-orm';
import { TERMINAL_RUN_STATUSES, type RunStatus } from '../core/status.js';
import { runs } from '../db/schema/runs.js';
import type { ScheduledRunInput } from '../schedules/options.js';
import { launchRun } from '../services/runs.js';
import { LoomServiceError } from '../services/errors.js';
import { childLogger } from '../runtime/logger.js';
import type { ActivityDeps } from './deps.js';

export type { ScheduledRunInput };

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A run id (`run-` + 26 Crockford base-32 characters, like a ULID) derived from the firing's workflow id. */
export function runIdFor(workflowId: string): string {
  const digest = crypto.createHash('sha256').update(workflowId).digest();
  let bits = 0n;
  for (const byte of digest.subarray(0, 17)) bits = (bits << 8n) | BigInt(byte);
  let out = '';
  for (let i = 0; i < 26; i++) {
    out = CROCKFORD[Number(bits & 31n)]! + out;
    bits >>= 5n;
  }
  return `run-${out}`;
}

/** How often a waiting scheduled run looks at its run's status. */
const POLL_MS = 2_000;
/** One wait activity lasts at most this long; the workflow simply starts another. */
const WAIT_SLICE_MS = 60 * 60 * 1000;

/**
 * Activities of the `scheduledRun` workflow: the plan is built here, at trigger time, from the
 * notebook's latest version, because a Temporal Schedule can only start a workflow with fixed args.
 */
export function createScheduleActivities(deps: ActivityDeps) {
  return {
    async launchScheduledRun(input: ScheduledRunInput): Promise<string> {
      if (!deps.temporal) throw new Error('This worker has no Temporal client; scheduled runs need one (ActivityDeps.temporal).');
      try {
        // One firing, one run: a retried launch finds the run its earlier attempt started.
        const info = Context.current().info;
        const runId = runIdFor(info.workflowExecution?.workflowId ?? `${input.scheduleId}/${info.activityId}`);
        const run = await launchRun(
          { db: deps.db, temporal: deps.temporal, kinds: deps.kinds },
          { notebook: input.notebook, params: input.params, launchedBy: `schedule:${input.scheduleId}`, runId },
        );
        childLogger({ runId: run.id, scheduleId: input.scheduleId }).info('scheduled run launched');
        return run.id;
      } catch (err) {
        // A deleted notebook or params the latest version rejects will not fix themselves.
        if (err instanceof LoomServiceError) throw ApplicationFailure.nonRetryable(err.message, 'LoomInputError');
        throw err;
      }
    },

    /** Waits (heartbeating) until the run ends or the slice is over; cancelling it cancels the run. */
    async awaitScheduledRun(input: { runId: string }): Promise<RunStatus | null> {
      const ctx = Context.current();
      const deadline = Date.now() + WAIT_SLICE_MS;
      while (Date.now() < deadline) {
        const [run] = await deps.db.orm.select({ status: runs.status }).from(runs).where(eq(runs.id, input.runId));
        if (!run) throw ApplicationFailure.nonRetryable(`Run ${input.runId} is not in the database`, 'LoomInputError');
        if (TERMINAL_RUN_STATUSES.includes(run.status)) return run.status;
        ctx.heartbeat();
        try {
          await ctx.sleep(POLL_MS);
        } catch (err) {
          // The schedule's overlap policy (cancel_other) cancelled this firing: stop its run too.
          if (deps.temporal) await deps.temporal.workflow.getHandle(input.runId).cancel().catch(() => undefined);
          throw err;
        }
      }
      return null;
    },
  };
}

export type ScheduleActivities = ReturnType<typeof createScheduleActivities>;
