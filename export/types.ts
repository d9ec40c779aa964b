import type { JsonValue, MimeBundle } from '../core/mime.js';
import type { Notebook } from '../notebook/types.js';

/** One attempt as stored, for accounting and reports. */
export interface AttemptSnapshot {
  attempt: number;
  status: string;
  error: string | null;
  startedAt: Date | null;
  finishedAt: Date | null;
}

/** One cell of a run with everything a report shows. */
export interface CellSnapshot {
  cellId: string;
  kind: string;
  queue: string;
  position: number;
  status: string;
  attempt: number;
  error: string | null;
  result: Record<string, JsonValue> | null;
  startedAt: Date | null;
  finishedAt: Date | null;
  /** When the row was created (the run was launched) — the earliest a cell could be ready. */
  createdAt: Date;
  attempts: AttemptSnapshot[];
  outputs: MimeBundle[];
}

/** A run read back from Postgres: what the exporters, the diff and the accounting work from. */
export interface RunSnapshot {
  id: string;
  status: string;
  error: string | null;
  params: Record<string, JsonValue>;
  launchedBy: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  notebookName: string;
  notebookVersion: number;
  source: string;
  /** The pinned version parsed (blocks, cells, bodies); undefined if it no longer parses. */
  notebook: Notebook | undefined;
  cells: CellSnapshot[];
}
