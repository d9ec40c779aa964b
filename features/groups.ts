import type { FeatureTransform } from './transform-types.js';

/** The input columns of a transform as people know them, with the dense indices each one owns. */
export function featureGroups(t: FeatureTransform): { name: string; dense: number[]; tokens?: boolean }[] {
  const groups: { name: string; dense: number[]; tokens?: boolean }[] = [];
  let j = 0;
  const take = (name: string, width: number) => {
    groups.push({ name, dense: Array.from({ length: width }, (_, k) => j + k) });
    j += width;
  };
  for (const n of t.numeric) take(n.column, 2);
  for (const c of t.categorical) take(c.column, c.mode === 'onehot' ? c.values.length + 1 : c.buckets);
  for (const b of t.boolean) take(b, 2);
  // Text columns share one token sequence, so they are shuffled together.
  if (t.text.columns.length > 0) groups.push({ name: t.text.columns.join(' + '), dense: [], tokens: true });
  return groups;
}
