import onnxProto from 'onnx-proto';
import { LoomInputError } from '../core/errors.js';
import type { FeatureShape } from '../features/types.js';

const { onnx } = onnxProto;

/** Metadata keys Loom writes into every exported model, so a model file is self-contained. */
export const MODEL_METADATA_KEYS = {
  shape: 'loom.shape',
  transform: 'loom.transform',
  training: 'loom.training',
} as const;

/** The `metadata_props` of an ONNX model file, as a plain record. */
export function readModelMetadata(bytes: Uint8Array): Record<string, string> {
  let model: onnxProto.onnx.ModelProto;
  try {
    model = onnx.ModelProto.decode(bytes);
  } catch (err) {
    throw new LoomInputError(`The file is not an ONNX model (${(err as Error).message}). Export the model with a finetune cell.`);
  }
  const out: Record<string, string> = {};
  for (const p of model.metadataProps) if (p.key) out[p.key] = p.value ?? '';
  return out;
}

/** The feature shape recorded in a model's metadata, checked for sanity. */
export function shapeFromMetadata(meta: Record<string, string>): FeatureShape {
  const raw = meta[MODEL_METADATA_KEYS.shape];
  if (raw === undefined) throw new LoomInputError(`The model has no "${MODEL_METADATA_KEYS.shape}" metadata; it was not exported by Loom. Retrain it with a finetune cell.`);
  let s: Partial<FeatureShape>;
  try {
    s = JSON.parse(raw) as Partial<FeatureShape>;
  } catch {
    throw new LoomInputError(`The model's "${MODEL_METADATA_KEYS.shape}" metadata is not JSON; the file is damaged. Retrain or re-export it.`);
  }
  const int = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;
  if (!s || !int(s.denseDim) || !int(s.maxTokens) || !int(s.textBuckets) || !Array.isArray(s.denseNames)) {
    throw new LoomInputError(`The model's "${MODEL_METADATA_KEYS.shape}" metadata lacks denseDim, maxTokens, textBuckets or denseNames; the file is damaged. Retrain or re-export it.`);
  }
  return { denseDim: s.denseDim, maxTokens: s.maxTokens, textBuckets: s.textBuckets, denseNames: s.denseNames.map(String) };
}
