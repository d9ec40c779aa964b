import type { Client } from '@temporalio/client';
import type { Database } from '../../db/client.js';
import type { Experiment } from '../../db/schema/experiments.js';
import { BadUserInputError, ConflictError } from '../errors.js';
import { getExperiment } from './store.js';

/**
 * Operator controls of a running experiment, delivered as signals to its `experimentRun`
 * workflow. The names are the workflow's contract (workflows/experiment.ts defines the same).
 */
export const EXPERIMENT_SIGNALS = { stop: 'experimentStop', extend: 'experimentExtend', decide: 'experimentDecide' } as const;
export const MANUAL_DECISIONS = ['ship', 'keep'] as const;
export type ManualDecision = (typeof MANUAL_DECISIONS)[number];
const MAX_EXTEND_DAYS = 365;
const MAX_REASON = 1000;

export function experimentWorkflowId(experimentId: string): string {
  return `experiment-${experimentId}`;
}

async function running(deps: { db: Database }, ref: string): Promise<Experiment> {
  const exp = await getExperiment(deps, ref);
  if (exp.status !== 'running') throw new ConflictError(`Experiment "${exp.name}" already ${exp.status === 'decided' ? `ended with decision ${exp.decision}` : exp.status}; nothing to change.`);
  return exp;
}

function reasonText(reason: unknown): string {
  if (reason === undefined || reason === null) return '';
  if (typeof reason !== 'string' || reason.length > MAX_REASON) throw new BadUserInputError(`reason must be a string of at most ${MAX_REASON} characters.`);
  return reason;
}

async function signal(deps: { temporal: Client }, exp: Experiment, name: string, arg: unknown): Promise<void> {
  try {
    await deps.temporal.workflow.getHandle(experimentWorkflowId(exp.id)).signal(name, arg);
  } catch (err) {
    if (err instanceof Error && err.name === 'WorkflowNotFoundError') {
      throw new ConflictError(`Experiment "${exp.name}" has no running workflow (it may have just finished); reload it.`);
    }
    throw err;
  }
}

/** Stops at the next analysis and decides on the data so far. */
export async function stopExperiment(deps: { db: Database; temporal: Client }, input: { experiment: string; by: string; reason?: unknown }): Promise<Experiment> {
  const exp = await running(deps, input.experiment);
  await signal(deps, exp, EXPERIMENT_SIGNALS.stop, { by: input.by, reason: reasonText(input.reason) || 'stopped by request' });
  return exp;
}

export async function extendExperiment(deps: { db: Database; temporal: Client }, input: { experiment: string; days: unknown; by: string }): Promise<Experiment> {
  const days = input.days;
  if (typeof days !== 'number' || !Number.isInteger(days) || days < 1 || days > MAX_EXTEND_DAYS) {
    throw new BadUserInputError(`days must be a whole number from 1 to ${MAX_EXTEND_DAYS}.`);
  }
  const exp = await running(deps, input.experiment);
  await signal(deps, exp, EXPERIMENT_SIGNALS.extend, { days, by: input.by });
  return exp;
}

/** An admin's decision overrides the statistics; it still goes through the workflow, which promotes. */
export async function decideExperiment(deps: { db: Database; temporal: Client }, input: { experiment: string; decision: unknown; by: string; reason?: unknown }): Promise<Experiment> {
  if (typeof input.decision !== 'string' || !(MANUAL_DECISIONS as readonly string[]).includes(input.decision)) {
    throw new BadUserInputError(`decision must be one of ${MANUAL_DECISIONS.join(', ')}.`);
  }
  const exp = await running(deps, input.experiment);
  await signal(deps, exp, EXPERIMENT_SIGNALS.decide, { decision: input.decision, by: input.by, reason: reasonText(input.reason) || `decided by ${input.by}` });
  return exp;
}
