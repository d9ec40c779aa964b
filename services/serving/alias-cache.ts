import type { ModelVersion } from '../../db/schema/models.js';
import type { DbDeps } from '../deps.js';
import { onAliasMoved, resolve, type VersionSelector } from '../models.js';

type Resolved = ModelVersion & { modelName: string };

/**
 * Alias → version lookups, cached briefly. A move in this process (`setAlias`) drops the entry at
 * once; a move made by another process is seen within `ttlMs`.
 */
export class AliasCache {
  private readonly entries = new Map<string, { at: number; value: Promise<Resolved> }>();
  private readonly unsubscribe: () => void;

  constructor(readonly ttlMs = 1_000, private readonly maxEntries = 1_000) {
    this.unsubscribe = onAliasMoved((e) => this.entries.delete(key(e.modelName, e.alias)));
  }

  async resolve(deps: DbDeps, model: string, selector: VersionSelector): Promise<Resolved> {
    // Version numbers never move; only aliases need the cache.
    if (selector.alias === undefined) return resolve(deps, model, selector);
    const k = key(model, selector.alias);
    const hit = this.entries.get(k);
    if (hit && Date.now() - hit.at < this.ttlMs) return hit.value;
    const value = resolve(deps, model, selector);
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    this.entries.set(k, { at: Date.now(), value });
    value.catch(() => { if (this.entries.get(k)?.value === value) this.entries.delete(k); });
    return value;
  }

  close(): void {
    this.unsubscribe();
    this.entries.clear();
  }
}

const key = (model: string, alias: string) => `${model}\u0000${alias}`;
