import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode, Worker, type NativeConnection, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { TASK_QUEUES } from '../core/queues.js';
import { createActivities, type ActivityDeps } from '../activities/index.js';
import { logger } from './logger.js';

export const WORKFLOWS_PATH = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'workflows', 'index.ts');

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;

/** Bundles the workflow code once per process; every CPU worker of the process shares it. */
export function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  bundle ??= bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: { ...silentBundlerLogger } });
  return bundle;
}

const noop = () => {};
const silentBundlerLogger = { trace: noop, debug: noop, info: noop, warn: (m: string) => logger.warn(m), error: (m: string) => logger.error(m), log: noop };

export interface WorkerOptions {
  connection: NativeConnection;
  namespace: string;
  deps: Omit<ActivityDeps, 'workerIdentity'>;
  /** Parallel activities (CPU worker) — for the GPU worker this is its GPU count. */
  concurrency: number;
}

function identity(queue: string): string {
  return `${queue}@${os.hostname()}:${process.pid}`;
}

/** `loom-cpu`: runs the workflows, their bookkeeping and every CPU cell. */
export async function createCpuWorker(opts: WorkerOptions): Promise<Worker> {
  const id = identity(TASK_QUEUES.cpu);
  return Worker.create({
    connection: opts.connection,
    namespace: opts.namespace,
    taskQueue: TASK_QUEUES.cpu,
    identity: id,
    workflowBundle: await workflowBundle(),
    activities: createActivities({ ...opts.deps, workerIdentity: id }),
    maxConcurrentActivityTaskExecutions: opts.concurrency,
    shutdownGraceTime: '10s',
  });
}

/**
 * `loom-gpu`: activities only, concurrency equal to its GPU count (1 on the CPU provider), so one
 * training job owns one GPU.
 */
export async function createGpuWorker(opts: WorkerOptions): Promise<Worker> {
  const id = identity(TASK_QUEUES.gpu);
  return Worker.create({
    connection: opts.connection,
    namespace: opts.namespace,
    taskQueue: TASK_QUEUES.gpu,
    identity: id,
    activities: createActivities({ ...opts.deps, workerIdentity: id }),
    maxConcurrentActivityTaskExecutions: Math.max(1, opts.concurrency),
    shutdownGraceTime: '10s',
  });
}
