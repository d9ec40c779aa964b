import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import type { Plugin } from 'graphql-yoga';

/** Static limits on operation shape; cost counts every object and scalar at its depth. */
export const OPERATION_LIMITS = {
  maxDepth: 12,
  maxAliases: 30,
  maxDirectives: 50,
  maxTokens: 10_000,
  maxCost: 5_000,
} as const;

const OFF = { enabled: false } as const;
const NONE = { maxDepth: OFF, maxAliases: OFF, maxDirectives: OFF, maxTokens: OFF, costLimit: OFF, blockFieldSuggestion: OFF };

/**
 * One armor plugin per protection, cheapest and most telling first: armor stops at the first
 * limit broken, so a deeply nested query is reported as too deep rather than as too costly.
 */
export function useOperationLimits(): Plugin[] {
  const common = { exposeLimits: true };
  return [
    EnvelopArmorPlugin({ ...NONE, maxTokens: { n: OPERATION_LIMITS.maxTokens, ...common } }),
    EnvelopArmorPlugin({ ...NONE, maxDepth: { n: OPERATION_LIMITS.maxDepth, ignoreIntrospection: true, ...common } }),
    EnvelopArmorPlugin({ ...NONE, maxAliases: { n: OPERATION_LIMITS.maxAliases, ...common } }),
    EnvelopArmorPlugin({ ...NONE, maxDirectives: { n: OPERATION_LIMITS.maxDirectives, ...common } }),
    EnvelopArmorPlugin({ ...NONE, costLimit: { maxCost: OPERATION_LIMITS.maxCost, ignoreIntrospection: true, ...common } }),
    EnvelopArmorPlugin({ ...NONE, blockFieldSuggestion: { enabled: true } }),
  ] as Plugin[];
}

function errorResponse(status: number, code: string, message: string): Response {
  const body = { errors: [{ message, extensions: { code } }] };
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json; charset=utf-8' } });
}

const tooLarge = (limit: number) =>
  errorResponse(413, 'REQUEST_ENTITY_TOO_LARGE', `Request body is larger than ${limit} bytes. Send smaller queries and variables; keep notebooks under 1 MiB.`);

/** The body as text (multipart is off, so every accepted body is text), or undefined past `limit`. */
async function readLimited(request: Request, limit: number): Promise<string | undefined> {
  if (!request.body) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      return undefined;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Rejects bodies over `limit` bytes with 413 before any parsing: first by Content-Length, then by
 * counting streamed bytes (chunked requests carry no length, and a length can lie).
 */
export function useBodyLimit(limit: number): Plugin {
  return {
    onRequestParse({ request, requestParser, setRequestParser, endResponse }) {
      const declared = request.headers.get('content-length');
      if (declared !== null && !/^\d+$/.test(declared)) {
        endResponse(errorResponse(400, 'BAD_REQUEST', 'The Content-Length header must be a single whole number of bytes.'));
        return;
      }
      if (declared !== null && Number(declared) > limit) {
        endResponse(tooLarge(limit));
        return;
      }
      if (!requestParser || request.method === 'GET' || request.method === 'HEAD') return;
      const parse = requestParser;
      setRequestParser(async (req) => {
        const body = await readLimited(req, limit);
        if (!body) return tooLarge(limit);
        const headers = new Headers(req.headers);
        headers.set('content-length', String(Buffer.byteLength(body)));
        return parse(new Request(req.url, { method: req.method, headers, body, signal: req.signal }));
      });
    },
  };
}
