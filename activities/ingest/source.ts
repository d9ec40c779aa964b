import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { pipeline, Readable, Transform } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { LoomInputError } from '../../core/errors.js';

/** True for 127.0.0.0/8, ::1 and localhost: the only hosts ingest fetches from. */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h === '::1') return true;
  return net.isIPv4(h) && h.startsWith('127.');
}

function inside(root: string, target: string): boolean {
  const rel = path.relative(root, target);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** Resolves a local path and refuses anything outside the data roots (after following links). */
export async function resolveLocalPath(spec: string, dataRoots: readonly string[]): Promise<string> {
  if (spec.includes('\0')) throw new LoomInputError('The source path contains a NUL byte; check the notebook\'s source value.');
  const wanted = path.resolve(process.cwd(), spec);
  let real: string;
  try {
    real = await fs.promises.realpath(wanted);
  } catch {
    throw new LoomInputError(`Source file ${JSON.stringify(spec)} was not found (looked at ${wanted}). Check the path, relative to the directory the worker runs in.`);
  }
  const roots = await Promise.all(dataRoots.map((r) => fs.promises.realpath(r).catch(() => path.resolve(r))));
  if (!roots.some((r) => inside(r, real))) {
    throw new LoomInputError(`Source file ${JSON.stringify(spec)} is outside the allowed data directories (${roots.join(', ') || 'none'}). Move it there or add its directory to LOOM_DATA_ROOTS.`);
  }
  const stat = await fs.promises.stat(real);
  if (!stat.isFile()) throw new LoomInputError(`Source ${JSON.stringify(spec)} is not a regular file.`);
  return real;
}

/** Opens the source as a stream of UTF-8 text; nothing is read whole into memory. `onBytes` sees the raw bytes. */
export async function openSource(spec: string, dataRoots: readonly string[], signal: AbortSignal, onBytes?: (chunk: Buffer) => void): Promise<Readable> {
  let stream: Readable;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(spec)) {
    let url: URL;
    try {
      url = new URL(spec);
    } catch {
      throw new LoomInputError(`Source URL ${JSON.stringify(spec.slice(0, 200))} is not a valid URL.`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new LoomInputError(`Source URL scheme ${JSON.stringify(url.protocol)} is not supported; use a local path or an http(s) URL on this machine.`);
    }
    if (!isLoopbackHost(url.hostname)) {
      throw new LoomInputError(`Source host ${JSON.stringify(url.hostname)} is not allowed: ingest fetches only from this machine (localhost, 127.0.0.0/8, ::1). Download the file into a data directory instead.`);
    }
    // Redirects could lead off this machine, so they are refused rather than followed.
    const res = await fetch(url, { signal, redirect: 'error' });
    if (!res.ok || !res.body) {
      const msg = `Fetching ${url.href} answered HTTP ${res.status}`;
      if (res.status >= 500) throw new Error(msg);
      throw new LoomInputError(`${msg}; check the URL.`);
    }
    stream = Readable.fromWeb(res.body as WebReadableStream<Uint8Array>);
  } else {
    const file = await resolveLocalPath(spec, dataRoots);
    stream = fs.createReadStream(file, { highWaterMark: 1024 * 1024, signal });
  }
  if (onBytes) {
    const tap = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        onBytes(chunk);
        done(null, chunk);
      },
    });
    // pipeline passes an error either way and destroys both when one side is destroyed.
    pipeline(stream, tap, () => {});
    stream = tap;
  }
  stream.setEncoding('utf8');
  return stream;
}
