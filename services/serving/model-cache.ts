import crypto from 'node:crypto';
import fs from 'node:fs';
import { parseTransform, type FeatureTransform } from '../../features/index.js';
import { loadModel, type LoadedModel } from '../../models/index.js';
import { logger } from '../../runtime/logger.js';

/** A version ready to serve: its runtime session and parsed feature transform. */
export interface ServedModel {
  versionId: string;
  model: LoadedModel;
  transform: FeatureTransform;
}

interface Entry { ready: Promise<ServedModel>; inUse: number; evicted: boolean }

/**
 * ONNX Runtime sessions keyed by model version id, least recently used evicted past `capacity`.
 * Versions are immutable, so an entry never goes stale; a session still answering a request when
 * it is evicted is released once that request is done.
 */
export class ModelCache {
  private readonly entries = new Map<string, Entry>();
  constructor(readonly capacity = 8) {}

  get size(): number { return this.entries.size; }
  has(versionId: string): boolean { return this.entries.has(versionId); }

  async use<T>(version: { id: string; artifactPath: string; artifactSha256: string }, fn: (m: ServedModel) => Promise<T>): Promise<T> {
    let entry = this.entries.get(version.id);
    if (entry) {
      this.entries.delete(version.id); // re-insert: Map order is recency order
      this.entries.set(version.id, entry);
    } else {
      entry = { ready: load(version), inUse: 0, evicted: false };
      this.entries.set(version.id, entry);
      entry.ready.catch(() => this.entries.delete(version.id));
      this.evict();
    }
    entry.inUse++;
    try {
      return await fn(await entry.ready);
    } finally {
      entry.inUse--;
      if (entry.evicted && entry.inUse === 0) release(entry);
    }
  }

  private evict(): void {
    for (const [id, entry] of this.entries) {
      if (this.entries.size <= this.capacity) break;
      this.entries.delete(id);
      entry.evicted = true;
      if (entry.inUse === 0) release(entry);
    }
  }

  async close(): Promise<void> {
    const all = [...this.entries.values()];
    this.entries.clear();
    await Promise.allSettled(all.map(async (e) => (await e.ready).model.release()));
  }
}

function release(entry: Entry): void {
  entry.ready.then((m) => m.model.release()).catch((err: unknown) => logger.warn({ err }, 'releasing an evicted model session failed'));
}

async function load(version: { id: string; artifactPath: string; artifactSha256: string }): Promise<ServedModel> {
  let bytes: Buffer;
  try {
    bytes = await fs.promises.readFile(version.artifactPath);
  } catch (err) {
    throw new Error(`model version ${version.id}: artifact ${version.artifactPath} cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  // The registry recorded the file's hash; a changed file is refused rather than served.
  const sha = crypto.createHash('sha256').update(bytes).digest('hex');
  if (sha !== version.artifactSha256) throw new Error(`model version ${version.id}: artifact ${version.artifactPath} does not match its registered sha256`);
  const model = await loadModel(bytes);
  try {
    return { versionId: version.id, model, transform: parseTransform(model.transform) };
  } catch (err) {
    await model.release();
    throw err;
  }
}
