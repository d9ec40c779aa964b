import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** A child process in its own process group, so it and anything it started can be killed together. */
export interface GroupProcess {
  readonly name: string;
  readonly pid: number;
  readonly child: ChildProcess;
  /** Resolves when the process has exited, with its code or the signal that ended it. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Everything it wrote to stdout and stderr so far. */
  output(): string;
  /** Resolves once the output matches `pattern`; rejects if the process exits first or the time runs out. */
  waitForOutput(pattern: RegExp, timeoutMs: number): Promise<void>;
  /** Sends `signal` to the whole process group and waits for the leader to exit. Safe to call twice. */
  kill(signal?: NodeJS.Signals): Promise<void>;
}

const live = new Set<number>();
let exitHookInstalled = false;

/** Last resort: a test runner that exits without its afterAll still leaves no process behind. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const pid of live) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  });
}

const MAX_OUTPUT = 256 * 1024;

export function spawnGroup(name: string, command: string, args: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): GroupProcess {
  installExitHook();
  const child = spawn(command, args, {
    cwd: opts.cwd ?? REPO_ROOT,
    env: opts.env ?? process.env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid === undefined) throw new Error(`${name}: could not start ${command}`);
  const pid = child.pid;
  live.add(pid);
  let out = '';
  const listeners = new Set<() => void>();
  const append = (b: Buffer) => {
    out += b.toString('utf8');
    if (out.length > MAX_OUTPUT) out = out.slice(-MAX_OUTPUT);
    for (const l of listeners) l();
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  let done = false;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      done = true;
      live.delete(pid);
      for (const l of listeners) l();
      resolve({ code, signal });
    });
  });

  return {
    name,
    pid,
    child,
    exited,
    output: () => out,
    waitForOutput(pattern, timeoutMs) {
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`${name}: no output matching ${pattern} after ${timeoutMs} ms. Output:\n${out.slice(-4000)}`));
        }, timeoutMs);
        const check = () => {
          if (pattern.test(out)) {
            clearTimeout(timer);
            listeners.delete(check);
            resolve();
          } else if (done) {
            clearTimeout(timer);
            listeners.delete(check);
            reject(new Error(`${name}: exited before printing ${pattern}. Output:\n${out.slice(-4000)}`));
          }
        };
        listeners.add(check);
        check();
      });
    },
    async kill(signal = 'SIGKILL') {
      if (done) return;
      try {
        process.kill(-pid, signal);
      } catch {
        // the group is already gone
      }
      await exited;
    },
  };
}

/** Kills every given process group; never throws, so it is safe in afterAll. */
export async function killAll(procs: Iterable<GroupProcess | undefined>): Promise<void> {
  const kills: Promise<void>[] = [];
  for (const p of procs) if (p) kills.push(p.kill('SIGKILL'));
  await Promise.allSettled(kills);
}

/** A TCP port that was free a moment ago on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      if (addr === null || typeof addr === 'string') {
        srv.close();
        reject(new Error('no port'));
        return;
      }
      srv.close(() => resolve(addr.port));
    });
  });
}

/** Polls `probe` until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function waitUntil<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number, everyMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Starts `node cli/bin.js worker` (loom-cpu) as its own process group and waits until it is connected. */
export async function startWorkerProcess(name: string, env: Record<string, string>, timeoutMs = 60_000): Promise<GroupProcess> {
  const proc = spawnGroup(name, process.execPath, [path.join(REPO_ROOT, 'cli', 'bin.js'), 'worker'], {
    env: { ...process.env, LOOM_LOG_LEVEL: 'warn', ...env },
  });
  try {
    await proc.waitForOutput(/worker connected to Temporal/, timeoutMs);
  } catch (err) {
    await proc.kill();
    throw err;
  }
  return proc;
}
