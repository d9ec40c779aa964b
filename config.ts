import path from 'node:path';
import { z } from 'zod';

/**
 * Every environment variable Loom reads, parsed and validated once at boot. Entry points call
 * `loadConfig()`; nothing else reads `process.env` for settings.
 */
const EnvSchema = z.object({
  /** Directory for embedded state (PGlite data, Temporal dev-server SQLite, artifacts). @default ".loom" */
  LOOM_HOME: z.string().min(1).default('.loom'),
  /** Postgres URL; unset means the embedded PGlite database under LOOM_HOME. @default unset */
  DATABASE_URL: z.string().url().optional(),
  /** Temporal frontend `host:port`; unset means `loom` starts a dev server. @default unset */
  TEMPORAL_ADDRESS: z.string().regex(/^[^\s:]+:\d+$/, 'must be host:port, e.g. 127.0.0.1:7233').optional(),
  /** Temporal namespace. @default "default" */
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  /** Path of the `temporal` CLI used for the dev server. @default found on PATH or pip's scripts dir */
  TEMPORAL_CLI_PATH: z.string().min(1).optional(),
  /** Port of the dev Temporal server `npm start` launches. @default 7233 */
  LOOM_TEMPORAL_PORT: z.coerce.number().int().min(1).max(65535).default(7233),
  /** API listen host. @default "127.0.0.1" */
  LOOM_API_HOST: z.string().min(1).default('127.0.0.1'),
  /** API listen port. @default 4000 */
  LOOM_API_PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  /** Largest accepted GraphQL request body, in bytes. @default 1048576 */
  LOOM_API_MAX_BODY_BYTES: z.coerce.number().int().min(1024).default(1_048_576),
  /** Number of GPUs the GPU worker drives; its activity concurrency. 0 = CPU provider, concurrency 1. @default 0 */
  LOOM_GPU_COUNT: z.coerce.number().int().min(0).max(64).default(0),
  /** Parallel activities per CPU worker. @default 8 */
  LOOM_CPU_CONCURRENCY: z.coerce.number().int().min(1).max(1024).default(8),
  /** Directories (separated by the platform's path delimiter) that ingest may read local files from. @default the working directory */
  LOOM_DATA_ROOTS: z.string().min(1).optional(),
  /** pino level. @default "info" */
  LOOM_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Admin token created at boot if no token exists (development convenience). @default unset */
  LOOM_BOOTSTRAP_TOKEN: z.string().min(24, 'must be at least 24 characters').optional(),
  /** Serve GraphiQL at /graphql. @default true outside NODE_ENV=production */
  LOOM_GRAPHIQL: z.enum(['true', 'false']).optional(),
  NODE_ENV: z.string().optional(),
});

export interface LoomConfig {
  home: string;
  databaseUrl: string | undefined;
  temporal: { address: string | undefined; namespace: string; cliPath: string | undefined; devPort: number };
  api: { host: string; port: number; maxBodyBytes: number; graphiql: boolean; bootstrapToken: string | undefined };
  workers: { gpuCount: number; cpuConcurrency: number; dataRoots: string[] };
  logLevel: string;
}

/** Thrown when an environment variable is malformed; names the variable and what it expects. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): LoomConfig {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid environment:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  return {
    home: path.resolve(e.LOOM_HOME),
    databaseUrl: e.DATABASE_URL,
    temporal: { address: e.TEMPORAL_ADDRESS, namespace: e.TEMPORAL_NAMESPACE, cliPath: e.TEMPORAL_CLI_PATH, devPort: e.LOOM_TEMPORAL_PORT },
    api: {
      host: e.LOOM_API_HOST,
      port: e.LOOM_API_PORT,
      maxBodyBytes: e.LOOM_API_MAX_BODY_BYTES,
      graphiql: e.LOOM_GRAPHIQL ? e.LOOM_GRAPHIQL === 'true' : e.NODE_ENV !== 'production',
      bootstrapToken: e.LOOM_BOOTSTRAP_TOKEN,
    },
    workers: {
      gpuCount: e.LOOM_GPU_COUNT,
      cpuConcurrency: e.LOOM_CPU_CONCURRENCY,
      dataRoots: (e.LOOM_DATA_ROOTS ?? process.cwd()).split(path.delimiter).filter(Boolean).map((p) => path.resolve(p)),
    },
    logLevel: e.LOOM_LOG_LEVEL,
  };
}
