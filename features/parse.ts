import { z } from 'zod';
import type { FeatureTransform } from './transform-types.js';

const name = z.string().min(1).max(1000);
const schema = z.object({
  format: z.literal('loom.feature-transform'),
  version: z.literal(1),
  numeric: z.array(z.object({ column: name, mean: z.number(), std: z.number().positive(), clip: z.number().positive() })),
  categorical: z.array(z.union([
    z.object({ column: name, mode: z.literal('onehot'), values: z.array(z.string()) }),
    z.object({ column: name, mode: z.literal('hash'), buckets: z.number().int().min(1).max(1 << 16) }),
  ])),
  boolean: z.array(name),
  text: z.object({
    columns: z.array(name),
    buckets: z.number().int().min(1).max(2 ** 24),
    maxTokens: z.number().int().min(1).max(4096),
    wordNgrams: z.tuple([z.number().int().min(1), z.number().int().min(1)]),
    charNgrams: z.tuple([z.number().int().min(1), z.number().int().min(1)]).nullable(),
  }),
  denseNames: z.array(z.string()),
  label: z.object({ column: name, positive: z.string() }).optional(),
  id: name.optional(),
});

/** Reads a stored transform (JSON text or parsed), refusing anything that is not one this version understands. */
export function parseTransform(input: unknown): FeatureTransform {
  let value = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input);
    } catch {
      throw new Error('the feature transform is not valid JSON');
    }
  }
  const r = schema.safeParse(value);
  if (!r.success) {
    const i = r.error.issues[0];
    throw new Error(`not a Loom feature transform (version 1): ${i ? `${i.path.join('.')}: ${i.message}` : 'invalid'}`);
  }
  return r.data;
}
