/** The notebook format: parse, validate, resolve params, substitute references, plan a run. */
export { parseNotebook } from './parse.js';
export { resolveParams, checkParamValue } from './params.js';
export { planRun } from './plan.js';
export { topologicalOrder, findCycles, upstreamClosure, downstreamOf, type GraphCell } from './graph.js';
export { resolveCellRefs, scanTemplate, escapeTemplate, type Reference, type Segment } from './interpolate.js';
export { formatIssues } from './format.js';
export { parseDuration } from './duration.js';
export { canonicalJson } from './canonical-json.js';
export { LIMITS as NOTEBOOK_LIMITS } from './limits.js';
export { RESERVED_KEYS } from './reserved-keys.js';
export type {
  Notebook,
  NotebookCell,
  NotebookBlock,
  NotebookIssue,
  ParamSpec,
  ParamType,
  ScheduleSpec,
  OverlapPolicy,
  CellOverrides,
  ParseResult,
} from './types.js';
