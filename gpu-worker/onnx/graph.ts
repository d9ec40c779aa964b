import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;

export type DType = 'float32' | 'float64' | 'int32' | 'int64' | 'bool';
/** A dimension: a size, or a name for one fixed at run time (e.g. the batch size). */
export type Dim = number | string;
export type TensorData = Float32Array | Float64Array | Int32Array | BigInt64Array | Uint8Array;

/** Attribute values: an integer is INT, `{ f }` forces FLOAT, an array of integers is INTS. */
export type AttrValue = number | { f: number } | number[] | string | { tensor: { dtype: DType; dims: number[]; data: TensorData } };

const ONNX_TYPE: Record<DType, number> = {
  float32: onnx.TensorProto.DataType.FLOAT,
  float64: onnx.TensorProto.DataType.DOUBLE,
  int32: onnx.TensorProto.DataType.INT32,
  int64: onnx.TensorProto.DataType.INT64,
  bool: onnx.TensorProto.DataType.BOOL,
};

const BYTES: Record<DType, number> = { float32: 4, float64: 8, int32: 4, int64: 8, bool: 1 };

/** Thrown when a graph is wired wrongly; a programming error, never user input. */
export class GraphBuildError extends Error {
  override name = 'GraphBuildError';
}

interface ValueInfo {
  dtype?: DType;
  dims?: Dim[];
}

function tensorProto(name: string, dtype: DType, dims: number[], data: TensorData): onnxProto.onnx.ITensorProto {
  const count = dims.reduce((a, b) => a * b, 1);
  if (data.length !== count) throw new GraphBuildError(`Tensor ${name}: ${data.length} values for dims [${dims.join(', ')}] (${count} expected)`);
  // Raw little-endian bytes: compact and fast to encode for the large parameter tensors.
  const raw = new Uint8Array(data.buffer, data.byteOffset, data.length * BYTES[dtype]);
  return { name, dataType: ONNX_TYPE[dtype], dims, rawData: Uint8Array.from(raw) };
}

function valueInfo(name: string, dtype: DType, dims: Dim[]): onnxProto.onnx.IValueInfoProto {
  return {
    name,
    type: { tensorType: { elemType: ONNX_TYPE[dtype], shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) } } },
  };
}

function attribute(name: string, v: AttrValue): onnxProto.onnx.IAttributeProto {
  const T = onnx.AttributeProto.AttributeType;
  if (typeof v === 'number') {
    if (!Number.isInteger(v)) throw new GraphBuildError(`Attribute ${name}: ${v} is not an integer; write { f: ${v} } for a float`);
    return { name, type: T.INT, i: v };
  }
  if (typeof v === 'string') return { name, type: T.STRING, s: new TextEncoder().encode(v) };
  if (Array.isArray(v)) return { name, type: T.INTS, ints: v };
  if ('f' in v) return { name, type: T.FLOAT, f: v.f };
  return { name, type: T.TENSOR, t: tensorProto(name, v.tensor.dtype, v.tensor.dims, v.tensor.data) };
}

/**
 * A small typed DSL over onnx-proto: declare inputs, initializers, nodes and outputs, then
 * serialise a ModelProto. Every node input must already be defined, so graphs are built in
 * topological order and a miswired name fails at build time, not inside ONNX Runtime.
 */
export class GraphBuilder {
  private readonly values = new Map<string, ValueInfo>();
  private readonly inputs: onnxProto.onnx.IValueInfoProto[] = [];
  private readonly initializers: onnxProto.onnx.ITensorProto[] = [];
  private readonly nodes: onnxProto.onnx.INodeProto[] = [];
  private readonly outputs: onnxProto.onnx.IValueInfoProto[] = [];
  private counter = 0;

  constructor(readonly name: string) {}

  private define(name: string, info: ValueInfo): string {
    if (name === '') throw new GraphBuildError('Value names must not be empty');
    if (this.values.has(name)) throw new GraphBuildError(`Value ${name} is defined twice`);
    this.values.set(name, info);
    return name;
  }

  has(name: string): boolean {
    return this.values.has(name);
  }

  /** Known dims of a value (inputs and initializers), if any. */
  dims(name: string): Dim[] | undefined {
    return this.values.get(name)?.dims;
  }

  fresh(prefix: string): string {
    let n: string;
    do n = `${prefix}_${this.counter++}`; while (this.values.has(n));
    return n;
  }

  input(name: string, dtype: DType, dims: Dim[]): string {
    this.inputs.push(valueInfo(name, dtype, dims));
    return this.define(name, { dtype, dims });
  }

  initializer(name: string, dtype: DType, dims: number[], data: TensorData): string {
    this.initializers.push(tensorProto(name, dtype, dims, data));
    return this.define(name, { dtype, dims });
  }

  /** A small constant tensor (scalar when dims is []). */
  constant(values: number[], dtype: DType, dims: number[] = values.length === 1 ? [] : [values.length]): string {
    const data = dtype === 'float32' ? Float32Array.from(values)
      : dtype === 'float64' ? Float64Array.from(values)
        : dtype === 'int32' ? Int32Array.from(values)
          : dtype === 'int64' ? BigInt64Array.from(values.map((v) => BigInt(v)))
            : Uint8Array.from(values);
    return this.initializer(this.fresh('const'), dtype, dims, data);
  }

  /** Adds a node; returns its output names (fresh ones unless given). */
  node(opType: string, inputs: string[], attrs: Record<string, AttrValue> = {}, outputs: number | string[] = 1): string[] {
    for (const i of inputs) {
      if (i !== '' && !this.values.has(i)) throw new GraphBuildError(`${opType}: input ${i} is not defined yet`);
    }
    const names = typeof outputs === 'number' ? Array.from({ length: outputs }, () => this.fresh(opType.toLowerCase())) : outputs;
    for (const n of names) this.define(n, {});
    this.nodes.push({
      opType,
      name: this.fresh(`n_${opType}`),
      input: inputs,
      output: names,
      attribute: Object.entries(attrs).map(([k, v]) => attribute(k, v)),
    });
    return names;
  }

  /** A node with one output. */
  op(opType: string, inputs: string[], attrs: Record<string, AttrValue> = {}, output?: string): string {
    return this.node(opType, inputs, attrs, output === undefined ? 1 : [output])[0]!;
  }

  /** Declares a graph output; renames through Identity when the value has another name. */
  output(name: string, dtype: DType, dims: Dim[], from?: string): void {
    if (from !== undefined && from !== name) this.op('Identity', [from], {}, name);
    if (!this.values.has(name)) throw new GraphBuildError(`Output ${name} is not defined`);
    this.outputs.push(valueInfo(name, dtype, dims));
  }

  /** Serialises the model (ONNX IR 8, default domain at `opset`). */
  toBytes(opts: { opset?: number; metadata?: Record<string, string>; docString?: string } = {}): Uint8Array {
    if (this.outputs.length === 0) throw new GraphBuildError(`Graph ${this.name} has no outputs`);
    const model = onnx.ModelProto.create({
      irVersion: 8,
      producerName: 'loom',
      opsetImport: [{ domain: '', version: opts.opset ?? 18 }],
      docString: opts.docString ?? '',
      metadataProps: Object.entries(opts.metadata ?? {}).map(([key, value]) => ({ key, value })),
      graph: {
        name: this.name,
        input: this.inputs,
        initializer: this.initializers,
        node: this.nodes,
        output: this.outputs,
      },
    });
    return onnx.ModelProto.encode(model).finish();
  }
}
