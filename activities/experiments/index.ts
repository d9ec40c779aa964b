import type { Database } from '../../db/client.js';
import { analyzeExperimentOnce, type AnalyzeInput, type AnalyzeOutput } from './analyze.js';
import { concludeExperiment, type ConcludeInput, type ConcludeOutput } from './conclude.js';

export type { AnalyzeInput, AnalyzeOutput } from './analyze.js';
export type { ConcludeInput, ConcludeOutput } from './conclude.js';

/** The activities of the `experimentRun` workflow. */
export function createExperimentActivities(deps: { db: Database }) {
  return {
    async analyzeExperiment(input: AnalyzeInput): Promise<AnalyzeOutput> {
      return analyzeExperimentOnce(deps.db, input);
    },
    async concludeExperiment(input: ConcludeInput): Promise<ConcludeOutput> {
      return concludeExperiment(deps.db, input);
    },
  };
}
