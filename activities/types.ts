import type { Logger } from 'pino';
import type { Database } from '../db/client.js';
import type { CellPending, CellResult, CellResume } from '../core/run-plan.js';
import type { JsonValue, MimeBundle } from '../core/mime.js';

/** Everything a cell executor may use. Executors never talk to Temporal directly. */
export interface CellContext<Config = unknown> {
  runId: string;
  cellId: string;
  /** 1-based attempt number (Temporal's). */
  attempt: number;
  /** Validated config with `${params.x}` and `${cells.<id>.<output>}` already resolved. */
  config: Config;
  /** Results of the cells this one needs, by cell id (transitively available upstream ones too). */
  upstream: Record<string, CellResult>;
  db: Database;
  /** Directory for large artifacts (checkpoints, model files) of this installation. */
  artifactsDir: string;
  /** Directories local input files may be read from (absolute); anything else is refused. */
  dataRoots: string[];
  /** Reports progress; shows live in the run and keeps the attempt alive (heartbeat). */
  progress(details: Record<string, JsonValue>): void;
  /** Present on the second phase of a cell that returned `pending`: the decision or child result. */
  resume?: CellResume;
  /** Aborted when the run is cancelled or the attempt timed out. */
  signal: AbortSignal;
  log: Logger;
}

/** What an executor produces. `values` go downstream (small!); `outputs` are stored and shown. */
export interface CellExecution {
  values: Record<string, JsonValue>;
  outputs: MimeBundle[];
  /** Hash identifying what was produced (e.g. the dataset content hash). */
  outputHash: string;
  /** Ask the workflow to wait (approval, child workflow) and run this executor again with `resume`. */
  pending?: CellPending;
}

export type CellExecutor<Config = unknown> = (ctx: CellContext<Config>) => Promise<CellExecution>;
