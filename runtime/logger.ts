import { pino, type Logger } from 'pino';

/** The one logger: structured JSON, secrets redacted wherever they appear in a log object. */
export const logger: Logger = pino({
  name: 'loom',
  level: process.env.LOOM_LOG_LEVEL ?? (process.env.VITEST ? 'warn' : 'info'),
  redact: {
    paths: ['token', '*.token', 'authorization', '*.authorization', 'headers.authorization', 'databaseUrl', '*.databaseUrl', 'salt', '*.salt'],
    censor: '[redacted]',
  },
});

export function childLogger(bindings: Record<string, unknown>): Logger {
  return logger.child(bindings);
}
