import type { PlannedCell } from '../core/run-plan.js';

/** Cells whose every dependency succeeded and which have not started yet. */
export function readyCells(cells: PlannedCell[], started: ReadonlySet<string>, succeeded: ReadonlySet<string>): PlannedCell[] {
  return cells.filter((c) => !started.has(c.id) && c.needs.every((n) => succeeded.has(n)));
}

/** Every cell downstream of `failedId` (transitively): they can no longer run. */
export function downstreamOf(cells: PlannedCell[], failedId: string): string[] {
  const out: string[] = [];
  const blocked = new Set([failedId]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const c of cells) {
      if (!blocked.has(c.id) && c.needs.some((n) => blocked.has(n))) {
        blocked.add(c.id);
        out.push(c.id);
        grew = true;
      }
    }
  }
  return out;
}

/** Upstream closure of a cell, so a cell can read any ancestor's result, not only direct needs. */
export function ancestorsOf(cells: PlannedCell[], id: string): string[] {
  const byId = new Map(cells.map((c) => [c.id, c]));
  const seen = new Set<string>();
  const stack = [...(byId.get(id)?.needs ?? [])];
  while (stack.length > 0) {
    const next = stack.pop()!;
    if (seen.has(next)) continue;
    seen.add(next);
    stack.push(...(byId.get(next)?.needs ?? []));
  }
  return [...seen];
}
