/** FNV-1a, 32 bits, over the UTF-16 code units of `text`: tiny, stable across platforms, well spread. */
export function fnv1a32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * Equal-split assignment used by `loom simulate`: customer `id` goes to
 *   arms[floor(fnv1a32(salt + ":" + id) / 2^32 · arms.length)],
 * so the same salt and id always give the same arm, and arms get equal shares in expectation.
 */
export function hashAssignment(arms: readonly string[], salt: string): (customerId: string) => string {
  if (arms.length === 0) throw new RangeError('hashAssignment needs at least one arm');
  return (customerId) => arms[Math.floor((fnv1a32(`${salt}:${customerId}`) / 2 ** 32) * arms.length)] ?? (arms[0] as string);
}
