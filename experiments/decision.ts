import type { Analysis, MetricResult } from './analysis.js';

/**
 * When an experiment stops and what it decides, from one analysis and the elapsed time. Pure.
 * - SRM (p < 0.001): stop, `blocked` — the split is broken, nothing is promoted.
 * - After minDuration, a conclusive primary metric stops early: `ship` if the treatment is better
 *   and no guardrail is significantly worse (else `blocked`), `keep` if it is worse.
 * - At maxDuration: the same, and `inconclusive` when the primary metric never became conclusive.
 * Guardrails only ever block; they never make a treatment ship.
 */

export type Decision = 'ship' | 'keep' | 'inconclusive' | 'blocked';

export interface Verdict {
  stop: boolean;
  decision: Decision | null;
  reason: string;
}

export interface DecisionInput {
  analysis: Analysis;
  elapsedMs: number;
  minDurationMs: number;
  maxDurationMs: number;
}

const pct = (x: number | null) => (x === null ? 'n/a' : `${(x * 100).toFixed(2)}%`);

function describe(m: MetricResult): string {
  const ci = m.ci ? ` [${pct(m.ci[0])}, ${pct(m.ci[1])}]` : '';
  return `${m.metric} lift ${pct(m.relative)}${ci}, p=${m.pValue === null ? 'n/a' : m.pValue.toPrecision(3)}`;
}

export function decide(input: DecisionInput): Verdict {
  const { analysis, elapsedMs, minDurationMs, maxDurationMs } = input;
  if (analysis.srm.mismatch) {
    const obs = Object.entries(analysis.srm.observed).map(([a, n]) => `${a}=${n}`).join(', ');
    return { stop: true, decision: 'blocked', reason: `sample ratio mismatch (p=${analysis.srm.pValue.toExponential(2)}; exposures ${obs}): assignment or logging is broken, nothing is promoted` };
  }
  const primary = analysis.metrics.find((m) => m.role === 'primary');
  if (!primary) return { stop: false, decision: null, reason: 'no primary metric' };
  const breached = analysis.metrics.filter((m) => m.role === 'guardrail' && m.verdict === 'worse');
  const atMax = elapsedMs >= maxDurationMs;
  const canStop = elapsedMs >= minDurationMs;
  if (primary.verdict === 'better' && (canStop || atMax)) {
    if (breached.length > 0) return { stop: true, decision: 'blocked', reason: `${describe(primary)}, but guardrail ${breached.map(describe).join('; ')} got worse` };
    return { stop: true, decision: 'ship', reason: `treatment wins: ${describe(primary)}` };
  }
  if (primary.verdict === 'worse' && (canStop || atMax)) return { stop: true, decision: 'keep', reason: `control wins: ${describe(primary)}` };
  if (atMax) return { stop: true, decision: 'inconclusive', reason: `no conclusive difference by the maximum duration: ${describe(primary)}` };
  return { stop: false, decision: null, reason: `still running: ${describe(primary)}` };
}
