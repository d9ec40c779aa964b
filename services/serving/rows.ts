import { validateRows, type FeatureTransform, type RowIssue } from '../../features/index.js';
import { BadUserInputError } from '../errors.js';

/** Largest batch `predict` takes by default; larger batches are refused with a clear error. */
export const DEFAULT_MAX_BATCH_ROWS = 1_000;

/** Checks the request's rows: a list of objects, not too many, matching the stored feature spec. */
export function checkRows(rows: unknown, transform: FeatureTransform, model: string, version: number, maxRows: number): Record<string, unknown>[] {
  if (!Array.isArray(rows)) {
    throw new BadUserInputError(`rows must be a JSON list of objects (column: value), e.g. [{"age": 34}]; got ${rows === null ? 'null' : typeof rows}.`);
  }
  if (rows.length > maxRows) {
    throw new BadUserInputError(`rows has ${rows.length} rows; at most ${maxRows} are accepted per request. Split the batch.`, { maxRows });
  }
  const issues = validateRows(transform, rows);
  if (issues.length > 0) {
    throw new BadUserInputError(`${issues.length === 1 ? 'A row does' : `${issues.length} problems: rows do`} not match the features ${model} v${version} was trained on: ${describe(issues)}`, {
      issues: issues.map((i) => ({ row: i.row, column: i.column, message: i.message })),
    });
  }
  return rows as Record<string, unknown>[];
}

function describe(issues: RowIssue[]): string {
  // validateRows already words each issue with its row and column.
  const shown = issues.slice(0, 5).map((i) => i.message);
  return shown.join('; ') + (issues.length > 5 ? `; and ${issues.length - 5} more (see extensions.details.issues)` : '');
}
