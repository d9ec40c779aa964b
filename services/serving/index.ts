/** Online serving: cached ONNX Runtime sessions per model version, `predict` and `score`. */
export { Serving, sharedServing, thresholdOf, type Prediction, type PredictResult, type ServingOptions } from './serving.js';
export { score, DEFAULT_ENTITY_COLUMN, type ScoreResult } from './score.js';
export { DEFAULT_MAX_BATCH_ROWS } from './rows.js';
export { ModelCache } from './model-cache.js';
export { AliasCache } from './alias-cache.js';
