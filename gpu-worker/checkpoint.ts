import fs from 'node:fs';
import path from 'node:path';
import type { EpochMetrics, TrainState } from './train-types.js';

const MAGIC = 'LOOMCKPT1\n';

interface Header {
  /** Identifies the config and data the state belongs to; a checkpoint for anything else is ignored. */
  fingerprint: string;
  epoch: number;
  step: number;
  rng: number[];
  stale: number;
  history: EpochMetrics[];
  best: { epoch: number; metric: number } | null;
  tensors: { group: 'p' | 'm' | 'v' | 'best'; name: string; length: number }[];
}

/**
 * Checkpoint file: magic line, u32 header length, JSON header, then the float32 tensors in header
 * order (little-endian). Written to a temporary file and renamed, so a kill mid-write leaves the
 * previous checkpoint intact.
 */
export async function writeCheckpoint(file: string, fingerprint: string, st: TrainState): Promise<void> {
  const groups: [Header['tensors'][number]['group'], Map<string, Float32Array>][] = [['p', st.params], ['m', st.m], ['v', st.v]];
  if (st.best) groups.push(['best', st.best.params]);
  const tensors: Header['tensors'] = [];
  const blobs: Buffer[] = [];
  for (const [group, map] of groups) {
    for (const [name, t] of map) {
      tensors.push({ group, name, length: t.length });
      blobs.push(Buffer.from(t.buffer, t.byteOffset, t.byteLength));
    }
  }
  const header: Header = {
    fingerprint, epoch: st.epoch, step: st.step, rng: st.rng, stale: st.stale, history: st.history,
    best: st.best ? { epoch: st.best.epoch, metric: st.best.metric } : null, tensors,
  };
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const len = Buffer.alloc(4);
  len.writeUInt32LE(json.length);
  await fs.promises.mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  const fh = await fs.promises.open(tmp, 'w');
  try {
    await fh.writev([Buffer.from(MAGIC), len, json, ...blobs]);
    await fh.sync();
  } finally {
    await fh.close();
  }
  await fs.promises.rename(tmp, file);
}

/** The state in a checkpoint, or undefined when there is none or it belongs to other settings. */
export async function readCheckpoint(file: string, fingerprint: string): Promise<TrainState | undefined> {
  let buf: Buffer;
  try {
    buf = await fs.promises.readFile(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  if (buf.subarray(0, MAGIC.length).toString('utf8') !== MAGIC) return undefined;
  const len = buf.readUInt32LE(MAGIC.length);
  const start = MAGIC.length + 4;
  const header = JSON.parse(buf.subarray(start, start + len).toString('utf8')) as Header;
  if (header.fingerprint !== fingerprint) return undefined;
  const maps = { p: new Map<string, Float32Array>(), m: new Map<string, Float32Array>(), v: new Map<string, Float32Array>(), best: new Map<string, Float32Array>() };
  let off = start + len;
  for (const t of header.tensors) {
    const bytes = t.length * 4;
    if (off + bytes > buf.length) return undefined;
    // Copy out so every tensor is 4-byte aligned.
    maps[t.group].set(t.name, new Float32Array(buf.buffer.slice(buf.byteOffset + off, buf.byteOffset + off + bytes)));
    off += bytes;
  }
  return {
    epoch: header.epoch, step: header.step, rng: header.rng, stale: header.stale, history: header.history,
    params: maps.p, m: maps.m, v: maps.v,
    best: header.best ? { ...header.best, params: maps.best } : null,
  };
}
