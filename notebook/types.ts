import type { JsonValue } from '../core/mime.js';
import type { TaskQueueName } from '../core/queues.js';
import type { CellRetryPolicy, CellTimeouts } from '../core/run-plan.js';

/** One located problem in a notebook. Line and column are 1-based; `field` is a dotted path. */
export interface NotebookIssue {
  message: string;
  line: number;
  column: number;
  cellId?: string;
  field?: string;
}

export const PARAM_TYPES = ['string', 'int', 'float', 'bool', 'enum'] as const;
export type ParamType = (typeof PARAM_TYPES)[number];

export interface ParamSpec {
  name: string;
  type: ParamType;
  default?: JsonValue;
  min?: number;
  max?: number;
  /** Allowed values of an `enum` param. */
  values?: string[];
  description?: string;
  /** Where the param is declared in the front matter. */
  line: number;
  column: number;
}

export const OVERLAP_POLICIES = ['skip', 'buffer_one', 'buffer_all', 'cancel_other', 'terminate_other', 'allow_all'] as const;
export type OverlapPolicy = (typeof OVERLAP_POLICIES)[number];

export interface ScheduleSpec {
  cron: string;
  timezone: string;
  overlap: OverlapPolicy;
  catchupWindowMs?: number;
  /** Param overrides used by scheduled runs. */
  params: Record<string, JsonValue>;
}

/** Per-cell execution overrides written with the reserved config keys. */
export interface CellOverrides {
  retry?: Partial<CellRetryPolicy>;
  timeouts?: Partial<CellTimeouts>;
  cache?: boolean;
}

export interface NotebookCell {
  id: string;
  kind: string;
  needs: string[];
  queue?: TaskQueueName;
  /** Overrides as written, with param defaults substituted. */
  overrides: CellOverrides;
  /** The kind config as written (reserved keys removed, `${…}` not substituted). */
  config: JsonValue;
  /** The cell body exactly as written (YAML). */
  body: string;
  /** Line of the opening fence. */
  line: number;
}

/** Document order of prose and cells, so a notebook can be rendered or exported as written. */
export type NotebookBlock =
  | { type: 'markdown'; markdown: string; line: number }
  | { type: 'cell'; cellId: string; line: number };

export interface Notebook {
  name: string;
  description?: string;
  params: ParamSpec[];
  schedule?: ScheduleSpec;
  cells: NotebookCell[];
  blocks: NotebookBlock[];
}

export interface ParseResult {
  notebook: Notebook | undefined;
  issues: NotebookIssue[];
}
