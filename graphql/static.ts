import fs from 'node:fs';
import type http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The built web view (`npm run build:web`), next to this folder in a checkout. */
export const DEFAULT_WEB_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'web', 'dist');

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

// vega compiles chart expressions with `new Function`, hence 'unsafe-eval'; nothing loads from
// another origin, and server HTML is shown in script-less sandboxed frames.
const SECURITY_HEADERS = {
  'content-security-policy': "default-src 'self'; script-src 'self' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; frame-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

function send(res: http.ServerResponse, status: number, message: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...SECURITY_HEADERS });
  res.end(message);
}

/** Resolves a URL path to a file inside `root`, or null for anything that would leave it. */
export function resolveStaticPath(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const file = path.resolve(root, `.${path.posix.normalize(`/${decoded}`)}`);
  return file === root || file.startsWith(root + path.sep) ? file : null;
}

/**
 * Serves the single-page app: real files with their content type, index.html for app routes
 * (paths without an extension), 404 for missing assets. GET and HEAD only.
 */
export function createStaticHandler(root: string = DEFAULT_WEB_ROOT): (req: http.IncomingMessage, res: http.ServerResponse) => void {
  const realRoot = fs.existsSync(root) ? fs.realpathSync(root) : root;
  return (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD');
      return send(res, 405, 'Only GET and HEAD are served here; the API is POST /graphql.');
    }
    const index = path.join(realRoot, 'index.html');
    if (!fs.existsSync(index)) return send(res, 404, 'The web view is not built. Run `npm run build:web`, then reload.');
    const urlPath = (req.url ?? '/').split(/[?#]/)[0] ?? '/';
    if (urlPath.length > 2048) return send(res, 414, 'The path is too long.');
    const candidate = resolveStaticPath(realRoot, urlPath);
    if (!candidate) return send(res, 400, 'That path is not allowed.');
    let file = candidate;
    let stat = fs.statSync(file, { throwIfNoEntry: false });
    if (stat?.isFile()) {
      // A symlink inside the build must not lead outside it.
      const real = fs.realpathSync(file);
      if (!real.startsWith(realRoot + path.sep)) return send(res, 404, 'Not found.');
    } else if (path.extname(urlPath) === '' || urlPath.endsWith('/')) {
      file = index;
      stat = fs.statSync(file);
    } else {
      return send(res, 404, `Not found: ${path.posix.basename(urlPath).slice(0, 100)}`);
    }
    const ext = path.extname(file).toLowerCase();
    const immutable = file.startsWith(path.join(realRoot, 'assets') + path.sep);
    res.writeHead(200, {
      'content-type': CONTENT_TYPES[ext] ?? 'application/octet-stream',
      'content-length': String(stat?.size ?? 0),
      'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
      ...SECURITY_HEADERS,
    });
    if (req.method === 'HEAD') return void res.end();
    fs.createReadStream(file).pipe(res);
  };
}
