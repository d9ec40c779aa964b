import { logger } from '../runtime/logger.js';

/**
 * Runs `close` once on SIGINT/SIGTERM, then exits. A second signal exits at once, for when a
 * shutdown hangs.
 */
export function closeOnSignals(close: () => Promise<void>): void {
  let closing = false;
  const handler = (signal: NodeJS.Signals) => {
    if (closing) process.exit(130);
    closing = true;
    logger.info({ signal }, 'shutting down');
    close()
      .then(() => process.exit(0))
      .catch((err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.once('SIGINT', handler);
  process.once('SIGTERM', handler);
}

/** Output for people goes to stdout through here; diagnostics go through the logger. */
export function say(line = ''): void {
  process.stdout.write(`${line}\n`);
}
