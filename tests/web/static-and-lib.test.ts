import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createStaticHandler, resolveStaticPath } from '../../graphql/static.js';
import { collectParams, coerceParam, paramSpecs } from '../../web/src/lib/params.js';
import { SseParser } from '../../web/src/lib/sse.js';
import { splitNotebook } from '../../web/src/lib/notebook-source.js';
import { cellStatusLabel } from '../../web/src/lib/status.js';

describe('static web server', () => {
  let dir: string;
  let server: http.Server;
  let base: string;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loom-web-'));
    fs.mkdirSync(path.join(dir, 'dist', 'assets'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'dist', 'index.html'), '<!doctype html><title>app</title>');
    fs.writeFileSync(path.join(dir, 'dist', 'assets', 'app.js'), 'console.log(1)');
    fs.writeFileSync(path.join(dir, 'secret.txt'), 'outside');
    fs.symlinkSync(path.join(dir, 'secret.txt'), path.join(dir, 'dist', 'link.txt'));
    const handler = createStaticHandler(path.join(dir, 'dist'));
    server = http.createServer(handler);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const raw = (p: string, method = 'GET') =>
    new Promise<{ status: number; type: string | undefined; body: string }>((resolve, reject) => {
      const req = http.request(`${base}`, { method, path: p }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, type: res.headers['content-type'], body }));
      });
      req.on('error', reject);
      req.end();
    });

  test('assets with their content type; app routes fall back to index.html; missing assets are 404', async () => {
    expect(await raw('/assets/app.js')).toMatchObject({ status: 200, type: 'text/javascript; charset=utf-8' });
    expect(await raw('/runs/run-123')).toMatchObject({ status: 200, type: 'text/html; charset=utf-8', body: expect.stringContaining('<title>app') });
    expect((await raw('/assets/missing.js')).status).toBe(404);
    expect((await raw('/', 'POST')).status).toBe(405);
  });

  test('no path leaves the build folder: dot segments, encoded slashes, backslashes, NUL, symlinks', async () => {
    for (const p of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/..%5csecret.txt', '/a%00.js', '/%E0%A4%A']) {
      const res = await raw(p);
      expect(res.body, p).not.toContain('outside');
    }
    expect((await raw('/link.txt')).status).toBe(404);
    expect(resolveStaticPath('/srv/web', '/../../etc/passwd')).toBe('/srv/web/etc/passwd');
    expect(resolveStaticPath('/srv/web', '/%00')).toBeNull();
    expect((await raw(`/${'a'.repeat(3000)}`)).status).toBe(414);
  });
});

describe('web view pure logic', () => {
  const specs = paramSpecs({ n: { type: 'int', min: 1, max: 10, default: 2 }, mode: { type: 'enum', values: ['a', 'b'] }, x: { type: 'float' }, bad: 'nope', evil: { type: 'function' } });

  test('params from front matter: malformed entries are skipped', () => {
    expect(specs.map((s) => s.name)).toEqual(['n', 'mode', 'x']);
    expect(paramSpecs(null)).toEqual([]);
    expect(paramSpecs(['x'])).toEqual([]);
  });

  test('form values are typed and bounded with messages naming the param', () => {
    const n = specs[0]!;
    expect(coerceParam(n, '11')).toEqual({ ok: false, error: 'n must be at most 10.' });
    expect(coerceParam(n, '2.5')).toEqual({ ok: false, error: 'n must be a whole number.' });
    expect(coerceParam(n, '1e400')).toMatchObject({ ok: false });
    expect(coerceParam(n, ' 7 ')).toEqual({ ok: true, value: 7 });
    expect(coerceParam(specs[1]!, '<script>')).toEqual({ ok: false, error: 'mode must be one of a, b.' });
    expect(collectParams(specs, { n: '2', mode: 'b', x: '0.5' })).toEqual({ values: { mode: 'b', x: 0.5 }, errors: {} });
    expect(collectParams(specs, {}).errors).toEqual({ mode: 'mode is required.', x: 'x is required.' });
  });

  test('SSE parser handles split chunks, CRLF, comments and multi-line data', () => {
    const p = new SseParser();
    expect(p.push(': ping\n\nevent: next\nda')).toEqual([]);
    expect(p.push('ta: {"a":\r\ndata: 1}\r\n\r\nevent: complete\n\n')).toEqual([{ event: 'next', data: '{"a":\n1}' }, { event: 'complete', data: '' }]);
  });

  test('notebook splitting never throws on hostile source', () => {
    expect(splitNotebook('---\n: : [\n---\n# x').frontMatterError).toMatch(/not valid YAML/);
    expect(splitNotebook('```cell echo id=a\nvalue: 1').segments).toEqual([{ type: 'cell', kind: 'echo', id: 'a', needs: null, queue: null, body: 'value: 1', line: 1 }]);
    const big = `${'x'.repeat(200_000)}\n`.repeat(5);
    expect(splitNotebook(big).segments).toHaveLength(1);
  });

  test('statuses read as words: GPU wait, retry attempt, cached', () => {
    expect(cellStatusLabel({ status: 'queued', queue: 'gpu', attempt: 0 }).label).toBe('waiting for a GPU worker');
    expect(cellStatusLabel({ status: 'retrying', queue: 'cpu', attempt: 2 }).label).toBe('retrying (attempt 3)');
    expect(cellStatusLabel({ status: 'succeeded', queue: 'cpu', attempt: 1, cachedFrom: 'run-1' }).label).toBe('cached');
  });
});
