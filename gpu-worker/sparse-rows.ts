/**
 * Row-sparse training of the n-gram tables (`emb`, `wide`). A batch of 64 reviews touches a few
 * thousand of the 2¹⁸ rows, yet a dense train step reads and rewrites every row of the tables and
 * of their Adam moments. Instead the trainer feeds the graph only the rows the batch uses (with
 * the batch's ids renumbered into them) and writes the updated rows back, as PyTorch's SparseAdam
 * and TensorFlow's LazyAdam do.
 *
 * The wide table's FTRL update leaves a row without gradient exactly as it was, so skipping it is
 * exact. For the embedding, the decay of its Adam moments over the k steps a row missed, m·β1ᵏ and
 * v·β2ᵏ, is applied when the row is next used (and to every row at each epoch's end, so
 * checkpoints and validation see current tables). The dense step would also have moved the row by
 * its decaying momentum and applied its L2 and weight decay; the lazy update skips those, as the
 * lazy optimisers do.
 */
import { ADAM } from './model/adam.js';

/** Per-missed-step multipliers of a table's values and moments. */
export interface MissedStepDecay {
  p: number;
  m: number;
  v: number;
}

/** A full table with its moments; `width` floats per row. */
export interface TableState {
  p: Float32Array;
  m: Float32Array;
  v: Float32Array;
  width: number;
  decay: MissedStepDecay;
}

export const embeddingDecay: MissedStepDecay = { p: 1, m: ADAM.beta1, v: ADAM.beta2 };

/** FTRL rows (value, z, n) do not change in a step without gradient. */
export const ftrlDecay: MissedStepDecay = { p: 1, m: 1, v: 1 };

/** The rows one batch uses, in the order they first occur; row 0 (padding) is always local row 0. */
export interface BatchRows {
  /** Global row id of each local row. */
  ids: Int32Array;
  /** The batch's token ids renumbered to local rows. */
  tokens: Int32Array;
}

export class SparseRows {
  private readonly seenAt: Int32Array;
  private readonly local: Int32Array;
  /** The number of steps each row has received (it is current when that equals the step count). */
  private readonly current: Int32Array;
  private batch = 0;

  /** `step`: steps already taken, at which every row is current (a fresh start or an epoch's end). */
  constructor(private readonly buckets: number, step: number) {
    this.seenAt = new Int32Array(buckets + 1);
    this.local = new Int32Array(buckets + 1);
    this.current = new Int32Array(buckets + 1).fill(step);
  }

  /** Local rows of a batch of token ids (0 = padding). */
  select(tokens: Int32Array): BatchRows {
    const mark = ++this.batch;
    const ids: number[] = [0];
    this.seenAt[0] = mark;
    this.local[0] = 0;
    const out = new Int32Array(tokens.length);
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i]!;
      if (t < 0 || t > this.buckets) throw new Error(`token id ${t} is outside the n-gram table (1..${this.buckets}); the feature table does not match the model`);
      if (this.seenAt[t] !== mark) {
        this.seenAt[t] = mark;
        this.local[t] = ids.length;
        ids.push(t);
      }
      out[i] = this.local[t]!;
    }
    return { ids: Int32Array.from(ids), tokens: out };
  }

  /** Applies a row's missed steps, up to `step` steps taken. */
  private catchUpRow(row: number, step: number, tables: readonly TableState[]): void {
    const missed = step - this.current[row]!;
    if (missed <= 0) return;
    for (const t of tables) {
      const o = row * t.width;
      if (t.decay.p !== 1) scale(t.p, o, t.width, Math.pow(t.decay.p, missed));
      if (t.decay.m !== 1) scale(t.m, o, t.width, Math.pow(t.decay.m, missed));
      if (t.decay.v !== 1) scale(t.v, o, t.width, Math.pow(t.decay.v, missed));
    }
    this.current[row] = step;
  }

  /** The batch's rows of a table (value and moments), brought current to `step` steps taken. */
  gather(rows: BatchRows, step: number, tables: readonly TableState[]): { p: Float32Array; m: Float32Array; v: Float32Array }[] {
    for (const id of rows.ids) this.catchUpRow(id, step, tables);
    return tables.map((t) => ({ p: pick(t.p, rows.ids, t.width), m: pick(t.m, rows.ids, t.width), v: pick(t.v, rows.ids, t.width) }));
  }

  /** Writes a step's updated rows back; those rows are then current after `step` steps. */
  scatter(rows: BatchRows, step: number, table: TableState, updated: { p: Float32Array; m: Float32Array; v: Float32Array }): void {
    put(table.p, updated.p, rows.ids, table.width);
    put(table.m, updated.m, rows.ids, table.width);
    put(table.v, updated.v, rows.ids, table.width);
    for (const id of rows.ids) this.current[id] = step;
  }

  /** Brings every row current to `step` steps taken. */
  catchUpAll(step: number, tables: readonly TableState[]): void {
    for (let row = 0; row <= this.buckets; row++) this.catchUpRow(row, step, tables);
  }
}

function scale(arr: Float32Array, from: number, n: number, f: number): void {
  for (let j = from; j < from + n; j++) arr[j]! *= f;
}

/** Rows `ids` of a row-major table, packed. */
export function pick(table: Float32Array, ids: Int32Array, width: number): Float32Array {
  const out = new Float32Array(ids.length * width);
  for (let r = 0; r < ids.length; r++) {
    const src = ids[r]! * width;
    const dst = r * width;
    for (let j = 0; j < width; j++) out[dst + j] = table[src + j]!;
  }
  return out;
}

/** Packed rows back into their places in the table. */
function put(table: Float32Array, rows: Float32Array, ids: Int32Array, width: number): void {
  for (let r = 0; r < ids.length; r++) {
    const dst = ids[r]! * width;
    const src = r * width;
    for (let j = 0; j < width; j++) table[dst + j] = rows[src + j]!;
  }
}
