import { condition, continueAsNew, defineQuery, defineSignal, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { createExperimentActivities } from '../activities/experiments/index.js';

type Activities = ReturnType<typeof createExperimentActivities>;

const DAY_MS = 86_400_000;
/** A fresh history every this many analyses keeps it far below Temporal's limits on long experiments. */
export const ANALYSES_PER_RUN = 20;

const acts = proxyActivities<Activities>({
  startToCloseTimeout: '10m',
  retry: { initialInterval: '1s', maximumInterval: '1m', backoffCoefficient: 2, nonRetryableErrorTypes: ['LoomInputError'] },
});

/** Signal names are the contract with services/experiments/control.ts. */
export const stopSignal = defineSignal<[{ by: string; reason: string }]>('experimentStop');
export const extendSignal = defineSignal<[{ days: number; by: string }]>('experimentExtend');
export const decideSignal = defineSignal<[{ decision: 'ship' | 'keep'; by: string; reason: string }]>('experimentDecide');

export interface ExperimentRunInput {
  experimentId: string;
  /** Epoch ms of the experiment's start (simulated or real). */
  startMs: number;
  analyzeEveryMs: number;
  minDurationMs: number;
  maxDurationMs: number;
  /** Simulation: the analysis clock advances `analyzeEveryMs` per tick of this many real ms. */
  simulateTickMs: number | null;
  /** Carried across continue-as-new. */
  analyses?: number;
  stopRequest?: { by: string; reason: string } | null;
  manual?: { decision: 'ship' | 'keep'; by: string; reason: string } | null;
}

export interface ExperimentState {
  experimentId: string;
  analyses: number;
  maxDurationMs: number;
  last: Awaited<ReturnType<Activities['analyzeExperiment']>> | null;
}

export interface ExperimentOutcome {
  experimentId: string;
  decision: string;
  reason: string;
  promoted: boolean;
  analyses: number;
}

export const experimentStateQuery = defineQuery<ExperimentState>('experimentState');

/**
 * Runs an experiment for days or weeks on durable timers: every `analyzeEvery` it analyses
 * (SQL aggregation → statistics → snapshot), stops when the sequential test is conclusive after
 * `minDuration`, on SRM, on request, or at `maxDuration`, then applies the decision to the model
 * registry. In simulation the analysis clock is simulated time, so weeks take seconds.
 */
export async function experimentRun(input: ExperimentRunInput): Promise<ExperimentOutcome> {
  let maxDurationMs = input.maxDurationMs;
  let stopRequest = input.stopRequest ?? null;
  let manual = input.manual ?? null;
  let analyses = input.analyses ?? 0;
  let last: ExperimentState['last'] = null;
  setHandler(stopSignal, (s) => { stopRequest ??= s; });
  setHandler(extendSignal, (e) => {
    if (Number.isInteger(e.days) && e.days > 0 && e.days <= 365) maxDurationMs += e.days * DAY_MS;
  });
  setHandler(decideSignal, (d) => { manual ??= d; });
  setHandler(experimentStateQuery, () => ({ experimentId: input.experimentId, analyses, maxDurationMs, last }));

  const sim = input.simulateTickMs !== null;
  const finish = async (decision: string, reason: string, atMs: number): Promise<ExperimentOutcome> => {
    const done = await acts.concludeExperiment({ experimentId: input.experimentId, decision, reason, atMs });
    return { experimentId: input.experimentId, decision: done.decision, reason: done.reason, promoted: done.promoted, analyses };
  };

  for (let inThisRun = 0; ; inThisRun++) {
    if (inThisRun >= ANALYSES_PER_RUN || workflowInfo().continueAsNewSuggested) {
      return continueAsNew<typeof experimentRun>({ ...input, maxDurationMs, analyses, stopRequest, manual });
    }
    if (!manual && !stopRequest) {
      await condition(() => manual !== null || stopRequest !== null, sim ? input.simulateTickMs! : input.analyzeEveryMs);
    }
    const elapsedMs = sim ? Math.min((analyses + 1) * input.analyzeEveryMs, maxDurationMs) : Date.now() - input.startMs;
    const asOfMs = input.startMs + elapsedMs;
    if (manual) return finish(manual.decision, `decided manually by ${manual.by}: ${manual.reason}`, sim ? asOfMs : Date.now());
    last = await acts.analyzeExperiment({
      experimentId: input.experimentId,
      asOfMs,
      elapsedMs,
      minDurationMs: input.minDurationMs,
      // A stop request decides on the data so far, as if the maximum duration were reached.
      maxDurationMs: stopRequest ? Math.min(elapsedMs, maxDurationMs) : maxDurationMs,
    });
    analyses++;
    if (last.stop && last.decision) {
      const why = stopRequest ? `${last.reason} (stopped early by ${stopRequest.by}: ${stopRequest.reason})` : last.reason;
      return finish(last.decision, why, sim ? asOfMs : Date.now());
    }
  }
}
