import fs from 'node:fs';
import path from 'node:path';
import onnxProto from 'onnx-proto';
import { featureShape, type FeatureTransform } from '../../features/index.js';

const { onnx } = onnxProto;

/** A small fitted transform: numeric, one-hot categorical, boolean and text columns, id column. */
export function testTransform(): FeatureTransform {
  return {
    format: 'loom.feature-transform',
    version: 1,
    numeric: [{ column: 'age', mean: 40, std: 10, clip: 5 }],
    categorical: [{ column: 'channel', mode: 'onehot', values: ['email', 'web'] }],
    boolean: ['member'],
    text: { columns: ['review'], buckets: 1000, maxTokens: 8, wordNgrams: [1, 1], charNgrams: null },
    denseNames: ['age', 'age:missing', 'channel=email', 'channel=web', 'channel:other', 'member', 'member:missing'],
    label: { column: 'purchased', positive: '1' },
    id: 'customer_id',
  };
}

const floatInit = (name: string, dims: number[], values: number[]) =>
  onnx.TensorProto.create({ name, dims, dataType: onnx.TensorProto.DataType.FLOAT, floatData: values });

const io = (name: string, elemType: number, dims: (number | string)[]) => onnx.ValueInfoProto.create({
  name,
  type: { tensorType: { elemType, shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) } } },
});

/**
 * A real ONNX logistic model with Loom's inputs and outputs: `dense` float32[N,D] and `tokens`
 * int32[N,L] → `probability` float32[N] = sigmoid(dense·w + b + tokenWeight·mean(tokens)).
 */
export function buildTestModel(opts: { weights: number[]; bias: number; tokenWeight?: number; transform?: FeatureTransform }): Uint8Array {
  const t = opts.transform ?? testTransform();
  const shape = featureShape(t);
  if (opts.weights.length !== shape.denseDim) throw new Error(`need ${shape.denseDim} weights`);
  const node = (opType: string, input: string[], output: string[], attribute: object[] = []) => onnx.NodeProto.create({ opType, input, output, attribute });
  const graph = onnx.GraphProto.create({
    name: 'loom-test-logistic',
    input: [io('dense', onnx.TensorProto.DataType.FLOAT, ['N', shape.denseDim]), io('tokens', onnx.TensorProto.DataType.INT32, ['N', shape.maxTokens])],
    output: [io('probability', onnx.TensorProto.DataType.FLOAT, ['N'])],
    initializer: [
      floatInit('w', [shape.denseDim, 1], opts.weights),
      floatInit('b', [1], [opts.bias]),
      floatInit('tw', [1], [opts.tokenWeight ?? 0.001]),
      onnx.TensorProto.create({ name: 'flat', dims: [1], dataType: onnx.TensorProto.DataType.INT64, int64Data: [-1] }),
    ],
    node: [
      node('MatMul', ['dense', 'w'], ['m']),
      node('Add', ['m', 'b'], ['a']),
      node('Cast', ['tokens'], ['tf'], [{ name: 'to', type: onnx.AttributeProto.AttributeType.INT, i: onnx.TensorProto.DataType.FLOAT }]),
      node('ReduceMean', ['tf'], ['tm'], [{ name: 'axes', type: onnx.AttributeProto.AttributeType.INTS, ints: [1] }, { name: 'keepdims', type: onnx.AttributeProto.AttributeType.INT, i: 1 }]),
      node('Mul', ['tm', 'tw'], ['tw2']),
      node('Add', ['a', 'tw2'], ['z']),
      node('Sigmoid', ['z'], ['s']),
      node('Reshape', ['s', 'flat'], ['probability']),
    ],
  });
  const model = onnx.ModelProto.create({
    irVersion: 7,
    opsetImport: [{ domain: '', version: 13 }],
    producerName: 'loom-tests',
    graph,
    metadataProps: [
      { key: 'loom.shape', value: JSON.stringify(shape) },
      { key: 'loom.transform', value: JSON.stringify(t) },
    ],
  });
  return onnx.ModelProto.encode(model).finish();
}

/** Writes a test model into `dir` and returns its path. */
export function writeTestModel(dir: string, name: string, opts: Parameters<typeof buildTestModel>[0]): string {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, name);
  fs.writeFileSync(file, buildTestModel(opts));
  return file;
}

/** Rows in the raw shape the transform expects. */
export interface TestRow { age: number; channel: string; member: boolean; review: string; [column: string]: unknown }

export function testRows(n: number, seed = 1): TestRow[] {
  const rows: TestRow[] = [];
  let x = seed;
  const rnd = () => ((x = (x * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  for (let i = 0; i < n; i++) {
    rows.push({
      age: Math.round(18 + rnd() * 60),
      channel: ['email', 'web', 'store'][Math.floor(rnd() * 3)]!,
      member: rnd() > 0.5,
      review: ['love it, will buy again', 'meh', 'terrible fit', 'great value for money'][Math.floor(rnd() * 4)]!,
    });
  }
  return rows;
}

export const WEIGHTS_A = [1.2, -0.3, 0.8, -0.5, 0.1, 0.9, -0.2];
export const WEIGHTS_B = [-1.1, 0.4, -0.6, 0.7, 0.2, -0.8, 0.3];
