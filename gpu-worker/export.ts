import type { FeatureShape } from '../features/types.js';
import { MODEL_METADATA_KEYS } from '../models/metadata.js';
import type { Architecture } from './model/architecture.js';
import { buildInferenceGraph } from './model/graphs.js';

/**
 * The deployable .onnx: inference graph with the trained parameters, plus the feature shape, the
 * fitted transform and the training settings in `metadata_props` so the file is self-contained.
 */
export function exportModel(a: Architecture, params: Map<string, Float32Array>, info: { shape: FeatureShape; transform: unknown; training: unknown }): Uint8Array {
  return buildInferenceGraph(a, params, {
    [MODEL_METADATA_KEYS.shape]: JSON.stringify(info.shape),
    [MODEL_METADATA_KEYS.transform]: JSON.stringify(info.transform ?? null),
    [MODEL_METADATA_KEYS.training]: JSON.stringify(info.training),
  });
}
