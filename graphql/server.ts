import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createYoga, type YogaDeps } from './yoga.js';
import { createStaticHandler } from './static.js';

export interface ApiServer {
  url: string;
  /** Stops accepting connections, lets in-flight requests finish, then ends open streams. */
  close(): Promise<void>;
}

/** `/graphql` is the API; every other path serves the web view from `webRoot` (default web/dist). */
export async function startApiServer(deps: YogaDeps & { host: string; port: number; webRoot?: string }): Promise<ApiServer> {
  const yoga = createYoga(deps);
  const web = createStaticHandler(deps.webRoot);
  const server = http.createServer((req, res) => {
    const pathname = (req.url ?? '/').split('?')[0] ?? '/';
    if (pathname === yoga.graphqlEndpoint || pathname.startsWith(`${yoga.graphqlEndpoint}/`)) void yoga(req, res);
    else web(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(deps.port, deps.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = deps.host.includes(':') ? `[${deps.host}]` : deps.host;
  return {
    url: `http://${host}:${port}${yoga.graphqlEndpoint}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeIdleConnections();
        // Subscriptions never go idle; give them a moment, then end them.
        setTimeout(() => server.closeAllConnections(), 2_000).unref();
      }),
  };
}
