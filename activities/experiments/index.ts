import { Context } from '@temporalio/activity';
import type { Database } from '../../db/client.js';
import { analyzeExperimentOnce, type AnalyzeInput, type AnalyzeOutput } from './analyze.js';
import { concludeExperiment, type ConcludeInput, type ConcludeOutput } from './conclude.js';
import { importEvents, type ImportEventsInput, type ImportEventsOutput } from './import-events.js';

export type { AnalyzeInput, AnalyzeOutput } from './analyze.js';
export type { ConcludeInput, ConcludeOutput } from './conclude.js';
export type { ImportEventsInput, ImportEventsOutput } from './import-events.js';

/** The activities of the `experimentRun` workflow. */
export function createExperimentActivities(deps: { db: Database; dataRoots: string[] }) {
  return {
    async analyzeExperiment(input: AnalyzeInput): Promise<AnalyzeOutput> {
      return analyzeExperimentOnce(deps.db, input);
    },
    /** Customer events from a CSV or JSON Lines file, idempotent like `recordEvents`. */
    async importEvents(input: ImportEventsInput): Promise<ImportEventsOutput> {
      const ctx = Context.current();
      return importEvents(deps.db, input, deps.dataRoots, ctx.cancellationSignal, (read) => ctx.heartbeat({ read }));
    },
    async concludeExperiment(input: ConcludeInput): Promise<ConcludeOutput> {
      return concludeExperiment(deps.db, input);
    },
  };
}
