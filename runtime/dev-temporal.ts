import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { logger } from './logger.js';
import { ensureTemporalCli, TEMPORAL_INSTALL_HINT } from './temporal-binary.js';

export interface DevTemporal {
  address: string;
  /** How the server binary was obtained, for the start-up banner. */
  via: string;
  stop(): Promise<void>;
}

function portOpen(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
  });
}

async function waitForPort(port: number, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the temporal dev server exited with code ${child.exitCode}; see ${'.loom/temporal.log'}`);
    if (await portOpen(port)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`the temporal dev server did not open port ${port} within ${timeoutMs / 1000}s`);
}

/**
 * Starts `temporal server start-dev` with its SQLite file under `home`, so runs survive restarts.
 * Falls back to the SDK's download (needs internet) when no CLI is installed.
 */
export async function startDevTemporal(opts: { home: string; port: number; cliPath?: string | undefined }): Promise<DevTemporal> {
  fs.mkdirSync(opts.home, { recursive: true });
  if (await portOpen(opts.port)) {
    throw new Error(`port ${opts.port} is already in use: stop what runs there, set LOOM_TEMPORAL_PORT to a free port, or set TEMPORAL_ADDRESS=127.0.0.1:${opts.port} to use that server`);
  }
  const cli = ensureTemporalCli(opts.cliPath);
  const dbFile = path.join(opts.home, 'temporal.db');
  if (!cli) {
    logger.warn('no temporal CLI found; trying the SDK download (needs internet). ' + TEMPORAL_INSTALL_HINT);
    try {
      const env = await TestWorkflowEnvironment.createLocal({
        server: { executable: { type: 'cached-download' }, dbFilename: dbFile, port: opts.port, ip: '127.0.0.1', ui: false },
      });
      return { address: env.address, via: 'SDK download', stop: () => env.teardown() };
    } catch (err) {
      throw new Error(`could not obtain a Temporal server: ${(err as Error).message}. ${TEMPORAL_INSTALL_HINT}`);
    }
  }
  const logFile = fs.openSync(path.join(opts.home, 'temporal.log'), 'a');
  const child = spawn(
    cli.path,
    ['server', 'start-dev', '--db-filename', dbFile, '--ip', '127.0.0.1', '--port', String(opts.port), '--headless', '--log-level', 'warn'],
    { stdio: ['ignore', logFile, logFile] },
  );
  fs.closeSync(logFile);
  try {
    await waitForPort(opts.port, child, 60_000);
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  return {
    address: `127.0.0.1:${opts.port}`,
    via: `${cli.path} (found via ${cli.via})`,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
