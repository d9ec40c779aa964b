import type { CellStatus, RunStatus } from '../core/status.js';
import type { ActivityDeps } from './deps.js';
import { createExperimentActivities } from './experiments/index.js';
import { createRunCell } from './run-cell.js';
import { createScheduleActivities } from './schedules.js';
import { recordCellStatuses, recordRunStatus } from './status-store.js';

export type { ActivityDeps } from './deps.js';
export type { RunCellInput } from './run-cell.js';

/** All activities, bound to their resources (the Temporal samples' dependency-injection shape). */
export function createActivities(deps: ActivityDeps) {
  return {
    runCell: createRunCell(deps),
    ...createScheduleActivities(deps),
    ...createExperimentActivities(deps),
    async recordCells(input: { runId: string; cells: { cellId: string; status: CellStatus; error?: string | undefined }[] }): Promise<void> {
      await recordCellStatuses(deps.db.orm, input.runId, input.cells);
    },
    async recordRun(input: { runId: string; status: RunStatus; error?: string | undefined }): Promise<void> {
      await recordRunStatus(deps.db.orm, input.runId, input.status, input.error);
    },
  };
}
