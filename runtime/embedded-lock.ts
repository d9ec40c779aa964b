import fs from 'node:fs';
import path from 'node:path';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * PGlite is a single-process database: two processes on one data directory would corrupt it.
 * This lock file makes the second process fail with a clear message instead.
 */
export function lockEmbeddedDatabase(dir: string): () => void {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'loom.pid');
  for (let i = 0; i < 2; i++) {
    try {
      fs.writeFileSync(file, String(process.pid), { flag: 'wx' });
      return () => fs.rmSync(file, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = Number(fs.readFileSync(file, 'utf8'));
      if (Number.isInteger(holder) && holder !== process.pid && alive(holder)) {
        throw new Error(
          `the embedded database in ${dir} is in use by process ${holder} (is \`npm start\` running?). ` +
            'Stop it, or set DATABASE_URL to a Postgres that several processes can share.',
        );
      }
      fs.rmSync(file, { force: true }); // left by a process that died
    }
  }
  throw new Error(`could not lock the embedded database in ${dir}`);
}
