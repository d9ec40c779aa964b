import fs from 'node:fs';
import * as ort from 'onnxruntime-node';
import { LoomInputError } from '../core/errors.js';
import type { FeatureBatch, FeatureShape } from '../features/types.js';
import { MODEL_METADATA_KEYS, readModelMetadata, shapeFromMetadata } from './metadata.js';

/** A deployable model, loaded into ONNX Runtime. */
export interface LoadedModel {
  shape: FeatureShape;
  /** The fitted feature transform embedded at export (opaque JSON; `null` when absent). */
  transform: unknown;
  metadata: Record<string, string>;
  /** Probability of the positive class for each row of the batch. */
  predict(batch: FeatureBatch): Promise<Float32Array>;
  release(): Promise<void>;
}

export interface LoadModelOptions {
  /** ONNX Runtime execution providers in order of preference. @default ['cpu'] */
  providers?: string[];
}

/** Checks that a batch matches the model's input shape; names what differs. */
export function checkBatch(shape: FeatureShape, batch: FeatureBatch): void {
  if (!Number.isInteger(batch.size) || batch.size < 0) throw new LoomInputError(`Batch size ${batch.size} is not a non-negative integer.`);
  if (batch.denseDim !== shape.denseDim) throw new LoomInputError(`The batch has ${batch.denseDim} dense features but the model expects ${shape.denseDim}; transform rows with the model's own embedded transform.`);
  if (batch.maxTokens !== shape.maxTokens) throw new LoomInputError(`The batch has ${batch.maxTokens} token slots per row but the model expects ${shape.maxTokens}; transform rows with the model's own embedded transform.`);
  if (batch.dense.length !== batch.size * batch.denseDim) throw new LoomInputError(`The batch's dense array has ${batch.dense.length} values; ${batch.size} rows × ${batch.denseDim} features need ${batch.size * batch.denseDim}.`);
  if (batch.tokens.length !== batch.size * batch.maxTokens) throw new LoomInputError(`The batch's tokens array has ${batch.tokens.length} values; ${batch.size} rows × ${batch.maxTokens} slots need ${batch.size * batch.maxTokens}.`);
  for (let i = 0; i < batch.tokens.length; i++) {
    const t = batch.tokens[i]!;
    if (t < 0 || t > shape.textBuckets) throw new LoomInputError(`Token id ${t} at position ${i} is outside 0..${shape.textBuckets}; token ids come from the model's transform.`);
  }
}

/** Loads a Loom model file (path or bytes): metadata, embedded transform and an inference session. */
export async function loadModel(pathOrBytes: string | Uint8Array, opts: LoadModelOptions = {}): Promise<LoadedModel> {
  let bytes: Uint8Array;
  if (typeof pathOrBytes === 'string') {
    try {
      bytes = await fs.promises.readFile(pathOrBytes);
    } catch (err) {
      throw new LoomInputError(`Cannot read model file ${JSON.stringify(pathOrBytes)}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}. Check the path a finetune cell reported.`);
    }
  } else {
    bytes = pathOrBytes;
  }
  const metadata = readModelMetadata(bytes);
  const shape = shapeFromMetadata(metadata);
  let transform: unknown = null;
  const rawTransform = metadata[MODEL_METADATA_KEYS.transform];
  if (rawTransform !== undefined) {
    try {
      transform = JSON.parse(rawTransform);
    } catch {
      throw new LoomInputError(`The model's "${MODEL_METADATA_KEYS.transform}" metadata is not JSON; the file is damaged.`);
    }
  }
  const session = await ort.InferenceSession.create(bytes, { executionProviders: opts.providers ?? ['cpu'] });
  const inputs = new Set(session.inputNames);
  return {
    shape,
    transform,
    metadata,
    async predict(batch: FeatureBatch): Promise<Float32Array> {
      checkBatch(shape, batch);
      if (batch.size === 0) return new Float32Array(0);
      const feeds: Record<string, ort.Tensor> = {};
      if (inputs.has('dense')) feeds.dense = new ort.Tensor('float32', batch.dense, [batch.size, batch.denseDim]);
      if (inputs.has('tokens')) feeds.tokens = new ort.Tensor('int32', batch.tokens, [batch.size, batch.maxTokens]);
      const out = await session.run(feeds, ['probability']);
      return Float32Array.from(out.probability!.data as Float32Array);
    },
    async release(): Promise<void> {
      await session.release();
    },
  };
}
