import type { KindSpec } from './types.js';
import { ingestKind } from './ingest.js';
import { sqlKind } from './sql.js';
import { finetuneKind } from './finetune.js';
import { preprocessKind } from './preprocess.js';
import { evaluateKind } from './evaluate.js';
import { deployKind } from './deploy.js';

import { abtestKind } from './abtest.js';
/** Every cell kind by name. Adding a kind is one line here and one in `activities/executors.ts`. */
export const KINDS: ReadonlyMap<string, KindSpec> = new Map<string, KindSpec>([
  [ingestKind.kind, ingestKind],
  [sqlKind.kind, sqlKind],
  [finetuneKind.kind, finetuneKind],
  [preprocessKind.kind, preprocessKind],
  [evaluateKind.kind, evaluateKind],
  [deployKind.kind, deployKind],
  [abtestKind.kind, abtestKind],
]);
