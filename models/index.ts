/** Model artifact format and inference, shared by training export, evaluation and serving. */
export { loadModel, checkBatch, type LoadedModel, type LoadModelOptions } from './load.js';
export { readModelMetadata, shapeFromMetadata, MODEL_METADATA_KEYS } from './metadata.js';
