import { compareRunSnapshots, type RunComparison } from '../export/run-diff.js';
import type { ServiceDeps } from './deps.js';
import { BadUserInputError } from './errors.js';
import { loadRunSnapshot } from './export/snapshot.js';

export type { RunComparison };

/** Two runs side by side: params, notebook source diff, cells, numeric results and charts. */
export async function compareRuns(deps: Pick<ServiceDeps, 'db' | 'kinds'>, runA: string, runB: string): Promise<RunComparison> {
  if (runA === runB) throw new BadUserInputError(`Both sides are run ${JSON.stringify(String(runA).slice(0, 80))}; compare two different runs.`);
  const [a, b] = await Promise.all([loadRunSnapshot(deps, runA), loadRunSnapshot(deps, runB)]);
  return compareRunSnapshots(a, b);
}
