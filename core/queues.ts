/** Task queues shared by the client, the workers and the API. */
export const TASK_QUEUES = {
  /** Default queue: data cells, bookkeeping, the workflow itself. */
  cpu: 'loom-cpu',
  /** GPU queue: training and encoder embeddings; served by `loom gpu-worker`. */
  gpu: 'loom-gpu',
} as const;
export type TaskQueueName = (typeof TASK_QUEUES)[keyof typeof TASK_QUEUES];

/** The notebook spelling (`queue=gpu`) mapped to the task queue. */
export const QUEUE_ALIASES: Record<string, TaskQueueName> = {
  cpu: TASK_QUEUES.cpu,
  gpu: TASK_QUEUES.gpu,
  'loom-cpu': TASK_QUEUES.cpu,
  'loom-gpu': TASK_QUEUES.gpu,
};

export const WORKFLOW_TYPES = { campaignRun: 'campaignRun' } as const;

/**
 * Signal names shared by the workflows that handle them and the services that send them (the
 * services may not import workflow code).
 */
export const SIGNALS = { approval: 'approval' } as const;
