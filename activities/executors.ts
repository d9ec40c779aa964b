import type { CellExecutor } from './types.js';
import { ingestExecutor } from './ingest/executor.js';
import { sqlExecutor } from './sql/executor.js';
import { finetuneExecutor } from './finetune/executor.js';
import { preprocessExecutor } from './preprocess/executor.js';
import { evaluateExecutor } from './evaluate/executor.js';
import { deployExecutor } from './deploy/executor.js';

import { abtestExecutor } from './experiments/abtest.js';
/** Every kind's executor by name. Adding a kind is one line here and one in `kinds/index.ts`. */
export const EXECUTORS: ReadonlyMap<string, CellExecutor<any>> = new Map<string, CellExecutor<any>>([
  ['ingest', ingestExecutor],
  ['sql', sqlExecutor],
  ['finetune', finetuneExecutor],
  ['preprocess', preprocessExecutor],
  ['evaluate', evaluateExecutor],
  ['deploy', deployExecutor],
  ['abtest', abtestExecutor],
]);
