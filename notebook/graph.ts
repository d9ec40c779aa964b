/** The cell graph: edges point from a cell to the cells it needs. Iterative, so depth is no risk. */
export interface GraphCell {
  id: string;
  needs: readonly string[];
}

/**
 * Every cycle in the graph, each as a path that returns to its start (`a → b → a` is
 * `['a', 'b', 'a']`), reported once per set of cells. Needs naming unknown cells are ignored.
 */
export function findCycles(cells: readonly GraphCell[]): string[][] {
  const byId = new Map(cells.map((c) => [c.id, c]));
  const state = new Map<string, 'open' | 'done'>();
  const cycles: string[][] = [];
  const seen = new Set<string>();
  for (const root of cells) {
    if (state.has(root.id)) continue;
    const stack: Array<{ id: string; next: number }> = [{ id: root.id, next: 0 }];
    state.set(root.id, 'open');
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const needs = byId.get(top.id)?.needs ?? [];
      if (top.next >= needs.length) {
        state.set(top.id, 'done');
        stack.pop();
        continue;
      }
      const dep = needs[top.next++]!;
      if (!byId.has(dep)) continue;
      const s = state.get(dep);
      if (s === 'open') {
        const from = stack.findIndex((f) => f.id === dep);
        const path = [...stack.slice(from).map((f) => f.id), dep];
        const key = [...new Set(path)].sort().join(' ');
        if (!seen.has(key)) {
          seen.add(key);
          cycles.push(path);
        }
      } else if (s === undefined) {
        state.set(dep, 'open');
        stack.push({ id: dep, next: 0 });
      }
    }
  }
  return cycles;
}

/**
 * Cells in an order where every cell comes after the cells it needs; among cells that are ready
 * together, document order is kept. Throws when the graph has a cycle.
 */
export function topologicalOrder<T extends GraphCell>(cells: readonly T[]): T[] {
  const byId = new Map(cells.map((c) => [c.id, c]));
  const waiting = new Map<string, number>();
  const dependents = new Map<string, string[]>();
  for (const cell of cells) {
    const known = cell.needs.filter((n) => byId.has(n));
    waiting.set(cell.id, known.length);
    for (const dep of known) dependents.set(dep, [...(dependents.get(dep) ?? []), cell.id]);
  }
  const index = new Map(cells.map((c, i) => [c.id, i]));
  const ready = cells.filter((c) => waiting.get(c.id) === 0);
  const order: T[] = [];
  while (ready.length > 0) {
    ready.sort((a, b) => (index.get(a.id) ?? 0) - (index.get(b.id) ?? 0));
    const cell = ready.shift()!;
    order.push(cell);
    for (const next of dependents.get(cell.id) ?? []) {
      const left = (waiting.get(next) ?? 1) - 1;
      waiting.set(next, left);
      if (left === 0) ready.push(byId.get(next)!);
    }
  }
  if (order.length < cells.length) {
    const cycle = findCycles(cells)[0] ?? [];
    throw new Error(`the cells form a cycle (${cycle.join(' → ')}); remove one of these needs`);
  }
  return order;
}

/** For each cell, every cell it depends on directly or through others. */
export function upstreamClosure(cells: readonly GraphCell[]): Map<string, Set<string>> {
  const byId = new Map(cells.map((c) => [c.id, c]));
  const result = new Map<string, Set<string>>();
  for (const cell of cells) {
    const seen = new Set<string>();
    const todo = [...cell.needs];
    while (todo.length > 0) {
      const id = todo.pop()!;
      if (seen.has(id) || !byId.has(id)) continue;
      seen.add(id);
      todo.push(...(byId.get(id)?.needs ?? []));
    }
    seen.delete(cell.id);
    result.set(cell.id, seen);
  }
  return result;
}

/** The cell and every cell that depends on it, directly or through others (what a rerun from it redoes). */
export function downstreamOf(cells: readonly GraphCell[], id: string): Set<string> {
  const out = new Set<string>([id]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const cell of cells) {
      if (!out.has(cell.id) && cell.needs.some((n) => out.has(n))) {
        out.add(cell.id);
        grew = true;
      }
    }
  }
  return out;
}
