import onnxProto from 'onnx-proto';
import { featureShape, type FeatureBatch, type FeatureTransform } from '../../features/index.js';
import { MODEL_METADATA_KEYS } from '../../models/index.js';

const { onnx } = onnxProto;
const FLOAT = 1, INT64 = 7;

/** Logistic regression on the dense features, fitted by plain gradient descent (deterministic). */
export function fitLogistic(b: FeatureBatch, epochs = 300, lr = 0.5): { w: Float32Array; bias: number } {
  const d = b.denseDim;
  const w = new Float64Array(d);
  let bias = 0;
  for (let e = 0; e < epochs; e++) {
    const gw = new Float64Array(d);
    let gb = 0;
    for (let i = 0; i < b.size; i++) {
      let z = bias;
      for (let j = 0; j < d; j++) z += w[j]! * b.dense[i * d + j]!;
      const err = 1 / (1 + Math.exp(-z)) - b.labels![i]!;
      for (let j = 0; j < d; j++) gw[j]! += err * b.dense[i * d + j]!;
      gb += err;
    }
    for (let j = 0; j < d; j++) w[j]! -= (lr * gw[j]!) / b.size;
    bias -= (lr * gb) / b.size;
  }
  return { w: Float32Array.from(w), bias };
}

/** A Loom-format ONNX model: sigmoid(dense · w + b) as `probability`, with shape and transform metadata. */
export function logisticOnnx(transform: FeatureTransform, w: Float32Array, bias: number): Uint8Array {
  const shape = featureShape(transform);
  const d = shape.denseDim;
  const model = onnx.ModelProto.create({
    irVersion: 8,
    producerName: 'loom-test',
    opsetImport: [{ domain: '', version: 13 }],
    graph: {
      name: 'logistic',
      node: [
        { opType: 'MatMul', input: ['dense', 'W'], output: ['z0'] },
        { opType: 'Add', input: ['z0', 'B'], output: ['z1'] },
        { opType: 'Sigmoid', input: ['z1'], output: ['p2'] },
        { opType: 'Reshape', input: ['p2', 'flat'], output: ['probability'] },
      ],
      initializer: [
        { name: 'W', dims: [d, 1], dataType: FLOAT, floatData: Array.from(w) },
        { name: 'B', dims: [1], dataType: FLOAT, floatData: [bias] },
        { name: 'flat', dims: [1], dataType: INT64, int64Data: [-1] },
      ],
      input: [{ name: 'dense', type: { tensorType: { elemType: FLOAT, shape: { dim: [{ dimParam: 'N' }, { dimValue: d }] } } } }],
      output: [{ name: 'probability', type: { tensorType: { elemType: FLOAT, shape: { dim: [{ dimParam: 'N' }] } } } }],
    },
    metadataProps: [
      { key: MODEL_METADATA_KEYS.shape, value: JSON.stringify(shape) },
      { key: MODEL_METADATA_KEYS.transform, value: JSON.stringify(transform) },
    ],
  });
  return onnx.ModelProto.encode(model).finish();
}
