import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const WEB = path.dirname(fileURLToPath(import.meta.url));
const BUILT = path.join(WEB, 'dist', 'index.html');
const INPUTS = [path.join(WEB, 'src'), path.join(WEB, 'index.html'), path.join(WEB, 'vite.config.ts'), path.join(WEB, '..', 'package-lock.json')];

function newestMtime(p: string): number {
  const stat = fs.statSync(p, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...fs.readdirSync(p).map((name) => newestMtime(path.join(p, name))));
}

/** True when web/dist is missing or older than any source of the web view. */
export function webBuildIsStale(): boolean {
  const built = fs.statSync(BUILT, { throwIfNoEntry: false });
  return !built || Math.max(...INPUTS.map(newestMtime)) > built.mtimeMs;
}

/** Builds the web view with Vite when it is missing or stale; returns whether it built. */
export function ensureWebBuilt(): boolean {
  if (!webBuildIsStale()) return false;
  execFileSync(process.execPath, [path.join(WEB, '..', 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', path.join(WEB, 'vite.config.ts')], { stdio: 'inherit' });
  return true;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.stdout.write(ensureWebBuilt() ? 'web view built into web/dist\n' : 'web view is up to date\n');
}
