import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { LoomInputError } from '../../core/errors.js';
import type { JsonValue } from '../../core/mime.js';
import { parseTransform } from '../../features/index.js';
import { MODEL_METADATA_KEYS, readModelMetadata, shapeFromMetadata } from '../../models/index.js';

/** Largest model file the registry accepts; the purchase-intent models are a few MB. */
export const MAX_MODEL_BYTES = 512 * 1024 * 1024;

/** Where a registered version's file lives: `<artifactsDir>/registry/<model>/<version>.onnx`. */
export function registryPath(artifactsDir: string, model: string, version: number): string {
  return path.join(artifactsDir, 'registry', model, `${version}.onnx`);
}

/**
 * Resolves the model path an upstream cell handed over and refuses anything outside the artifact
 * store and the data roots, so a notebook cannot make the registry copy arbitrary files.
 */
export function checkModelSource(file: string, cellId: string, artifactsDir: string, dataRoots: string[]): string {
  const abs = path.resolve(artifactsDir, file);
  let real: string;
  try {
    real = fs.realpathSync(abs);
  } catch {
    throw new LoomInputError(`deploy: the model file of cell "${cellId}" does not exist (${abs}); run that cell again.`);
  }
  const roots = [artifactsDir, ...dataRoots].map((r) => { try { return fs.realpathSync(r); } catch { return path.resolve(r); } });
  if (!roots.some((r) => real === r || real.startsWith(r + path.sep))) {
    throw new LoomInputError(`deploy: the model file of cell "${cellId}" (${abs}) is outside the artifact store and the data roots; Loom deploys only models it trained or files under LOOM_DATA_ROOTS.`);
  }
  const stat = fs.statSync(real);
  if (!stat.isFile()) throw new LoomInputError(`deploy: the model of cell "${cellId}" (${abs}) is not a file.`);
  if (stat.size > MAX_MODEL_BYTES) throw new LoomInputError(`deploy: the model of cell "${cellId}" is ${stat.size} bytes; the registry takes at most ${MAX_MODEL_BYTES}.`);
  return real;
}

/** Copies `source` to `dest` through a temporary file (atomic rename) and returns its sha256. */
export async function copyWithHash(source: string, dest: string): Promise<string> {
  fs.mkdirSync(path.dirname(dest), { recursive: true });
  const tmp = `${dest}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`;
  const hash = crypto.createHash('sha256');
  try {
    await pipeline(fs.createReadStream(source), async function* (chunks: AsyncIterable<Buffer>) {
      for await (const c of chunks) {
        hash.update(c);
        yield c;
      }
    }, fs.createWriteStream(tmp));
    fs.renameSync(tmp, dest);
  } finally {
    fs.rmSync(tmp, { force: true });
  }
  return hash.digest('hex');
}

export async function sha256File(file: string): Promise<string> {
  const hash = crypto.createHash('sha256');
  await pipeline(fs.createReadStream(file), hash);
  return hash.digest('hex');
}

export interface ModelFileFacts {
  /** The fitted feature transform stored in the model (`loom.transform`). */
  transform: JsonValue;
}

/** Reads and checks the Loom metadata of an .onnx file without starting a runtime session. */
export function readModelFacts(file: string, cellId: string): ModelFileFacts {
  try {
    const meta = readModelMetadata(fs.readFileSync(file));
    shapeFromMetadata(meta);
    const raw = meta[MODEL_METADATA_KEYS.transform];
    if (raw === undefined) throw new Error(`it has no "${MODEL_METADATA_KEYS.transform}" metadata, so serving could not apply the training transform`);
    return { transform: parseTransform(raw) as unknown as JsonValue };
  } catch (err) {
    throw new LoomInputError(`deploy: the model of cell "${cellId}" cannot be deployed: ${err instanceof Error ? err.message : String(err)}. Export it with Loom's finetune cell.`);
  }
}
