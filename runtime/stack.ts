import fs from 'node:fs';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import type { Worker } from '@temporalio/worker';
import type { LoomConfig } from '../config.js';
import { openDatabase, type Database } from '../db/client.js';
import { KINDS } from '../kinds/index.js';
import { EXECUTORS } from '../activities/executors.js';
import { detectGpuCount } from '../gpu-worker/gpu-count.js';
import { lockEmbeddedDatabase } from './embedded-lock.js';
import { startDevTemporal, type DevTemporal } from './dev-temporal.js';
import { logger } from './logger.js';
import { connectTemporal, type TemporalConnections } from './temporal.js';
import { createCpuWorker, createGpuWorker } from './workers.js';

export interface StackOptions {
  /** Start a dev Temporal server when TEMPORAL_ADDRESS is unset (else the default address is used). */
  devServer: boolean;
  cpuWorker: boolean;
  gpuWorker: boolean;
}

/** The resources of one Loom process: database, Temporal, and the workers it hosts. */
export interface Stack {
  config: LoomConfig;
  db: Database;
  client: Client;
  temporalAddress: string;
  /** How the Temporal server was obtained ("existing", or the dev server's binary). */
  temporalVia: string;
  workers: Worker[];
  /** Resolves when every worker stopped; rejects if one crashed. */
  workersDone: Promise<void>;
  close(): Promise<void>;
}

export async function openDatabaseFromConfig(config: LoomConfig): Promise<{ db: Database; release: () => void }> {
  if (config.databaseUrl) return { db: await openDatabase({ url: config.databaseUrl }), release: () => {} };
  const dir = path.join(config.home, 'pglite');
  const unlock = lockEmbeddedDatabase(config.home);
  try {
    return { db: await openDatabase({ pgliteDir: dir }), release: unlock };
  } catch (err) {
    unlock();
    throw err;
  }
}

export async function startStack(config: LoomConfig, opts: StackOptions): Promise<Stack> {
  const cleanups: (() => Promise<void> | void)[] = [];
  const close = async () => {
    for (const fn of cleanups.reverse()) {
      try {
        await fn();
      } catch (err) {
        logger.warn({ err }, 'error while shutting down');
      }
    }
  };
  try {
    let dev: DevTemporal | undefined;
    let address = config.temporal.address;
    if (!address && opts.devServer) {
      dev = await startDevTemporal({ home: config.home, port: config.temporal.devPort, cliPath: config.temporal.cliPath });
      cleanups.push(() => dev!.stop());
      address = dev.address;
    }
    address ??= `127.0.0.1:${config.temporal.devPort}`;
    const temporal: TemporalConnections = await connectTemporal(address, config.temporal.namespace);
    cleanups.push(() => temporal.close());
    const { db, release } = await openDatabaseFromConfig(config);
    cleanups.push(release, () => db.close());

    const artifactsDir = path.join(config.home, 'artifacts');
    fs.mkdirSync(artifactsDir, { recursive: true });
    const deps = { db, kinds: KINDS, executors: EXECUTORS, artifactsDir, dataRoots: config.workers.dataRoots, temporal: temporal.client };
    const workers: Worker[] = [];
    const base = { connection: temporal.native, namespace: config.temporal.namespace, deps };
    if (opts.cpuWorker) workers.push(await createCpuWorker({ ...base, concurrency: config.workers.cpuConcurrency }));
    if (opts.gpuWorker) workers.push(await createGpuWorker({ ...base, concurrency: detectGpuCount(config.workers.gpuCount) }));
    const workersDone = Promise.all(workers.map((w) => w.run())).then(() => undefined);
    // Workers must stop (finishing or handing back their tasks) before the connections close.
    cleanups.push(async () => {
      for (const w of workers) if (w.getState() === 'RUNNING') w.shutdown();
      await workersDone.catch(() => undefined);
    });
    return { config, db, client: temporal.client, temporalAddress: address, temporalVia: dev?.via ?? 'existing server', workers, workersDone, close };
  } catch (err) {
    await close();
    throw err;
  }
}
