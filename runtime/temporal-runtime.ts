import { Runtime, type LogLevel, type LogMetadata } from '@temporalio/worker';
import { logger } from './logger.js';

let installed = false;

/**
 * Routes the Temporal SDK's own logs (worker state, task failures) through Loom's pino logger,
 * so every line a process prints is structured the same way. Must run before any connection.
 */
export function installTemporalRuntime(): void {
  if (installed) return;
  installed = true;
  const sdk = logger.child({ component: 'temporal-sdk' });
  // Worker state changes are noise at the default level; they show with LOOM_LOG_LEVEL=debug.
  if (logger.level === 'info') sdk.level = 'warn';
  const forward = (level: LogLevel, message: string, meta?: LogMetadata) => {
    const fields = meta ?? {};
    switch (level) {
      case 'ERROR': sdk.error(fields, message); break;
      case 'WARN': sdk.warn(fields, message); break;
      case 'INFO': sdk.info(fields, message); break;
      case 'DEBUG': sdk.debug(fields, message); break;
      default: sdk.trace(fields, message);
    }
  };
  try {
    Runtime.install({
      logger: {
        log: forward,
        trace: (m, meta) => forward('TRACE', m, meta),
        debug: (m, meta) => forward('DEBUG', m, meta),
        info: (m, meta) => forward('INFO', m, meta),
        warn: (m, meta) => forward('WARN', m, meta),
        error: (m, meta) => forward('ERROR', m, meta),
      },
      // The Rust core's own lines (slow workflow tasks, connection retries) join the same stream.
      telemetryOptions: { logging: { filter: { core: 'WARN', other: 'ERROR' }, forward: {} } },
    });
  } catch (err) {
    // Already installed by someone earlier in this process (e.g. the testing package): keep theirs.
    logger.debug({ err }, 'Temporal runtime already installed');
  }
}
