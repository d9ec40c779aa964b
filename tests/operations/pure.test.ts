import { describe, expect, it } from 'vitest';
import { LoomInputError } from '../../core/errors.js';
import { backfillRange, cleanNote, cronProblem, toScheduleOptions } from '../../schedules/index.js';
import { displayStatus, WAITING_FOR_GPU } from '../../export/run-accounting.js';
import { combineCharts } from '../../export/run-diff.js';
import { exportRunToIpynb } from '../../export/ipynb.js';
import type { RunSnapshot } from '../../export/types.js';

describe('schedule options', () => {
  it('maps front matter to Temporal options', () => {
    const o = toScheduleOptions('spring', { cron: '0 2 * * *', timezone: 'Europe/Paris', overlap: 'buffer_one', catchupWindowMs: 3_600_000, params: { days: 3 } });
    expect(o).toMatchObject({
      scheduleId: 'schedule-spring',
      spec: { cronExpressions: ['0 2 * * *'], timezone: 'Europe/Paris' },
      action: { type: 'startWorkflow', workflowType: 'scheduledRun', taskQueue: 'loom-cpu', args: [{ notebook: 'spring', params: { days: 3 }, scheduleId: 'schedule-spring' }] },
      policies: { overlap: 'BUFFER_ONE', catchupWindow: 3_600_000 },
    });
  });
  it.each([
    ['0 2 * * *', undefined],
    ['*/15 1-5 1,15 * 0-6', undefined],
    ['60 2 * * *', /60 is outside minute 0-59/],
    ['0 24 * * *', /24 is outside hour 0-23/],
    ['0 2 0 * *', /0 is outside day-of-month 1-31/],
    ['0 2 * 5-1 *', /runs backwards/],
    ['0 2 * *', /has 4 fields/],
    ['*/0 * * * *', /step .* positive/],
    ['a b c d e', /not a minute value/],
    ['0 2 * * * '.repeat(50), /at most 200/],
  ])('cron %j', (cron, problem) => {
    const found = cronProblem(cron);
    if (problem === undefined) expect(found).toBeUndefined();
    else expect(found).toMatch(problem);
  });
  it('refuses an unknown overlap policy with the choices', () => {
    expect(() => toScheduleOptions('x', { cron: '0 2 * * *', timezone: 'UTC', overlap: 'never' as 'skip', params: {} })).toThrow(/use one of skip, buffer_one/);
  });
  it('checks backfill ranges and cleans notes', () => {
    expect(() => backfillRange('2025-03-02T00:00:00Z', '2025-03-01T00:00:00Z')).toThrow(LoomInputError);
    expect(() => backfillRange('2025-03-01T00:00:00Z', '2025-03-01T00:00:00Z')).toThrow(/must be after/);
    expect(() => backfillRange('x'.repeat(10_000), '2025-03-01T00:00:00Z')).toThrow(/is not a time/);
    expect(backfillRange('2025-03-01T00:00:00Z', '2025-03-02T00:00:00Z').end.toISOString()).toBe('2025-03-02T00:00:00.000Z');
    expect(cleanNote('  \u0007ok\u2066 ', 'paused')).toBe('ok');
    expect(cleanNote('\n\t', 'paused')).toBe('paused');
    expect(() => cleanNote('n'.repeat(501), 'x')).toThrow(/at most 500/);
  });
});

describe('pure report pieces', () => {
  it('says a ready GPU cell is waiting for a GPU worker, and nothing else is', () => {
    expect(displayStatus({ queue: 'loom-gpu', status: 'pending' }, ['succeeded'])).toBe(WAITING_FOR_GPU);
    expect(displayStatus({ queue: 'loom-gpu', status: 'pending' }, [])).toBe(WAITING_FOR_GPU);
    expect(displayStatus({ queue: 'loom-gpu', status: 'pending' }, ['running'])).toBe('pending');
    expect(displayStatus({ queue: 'loom-gpu', status: 'running' }, ['succeeded'])).toBe('running');
    expect(displayStatus({ queue: 'loom-cpu', status: 'pending' }, ['succeeded'])).toBe('pending');
  });
  it('layers only charts of the same mark with inline data; dashes by run when colour is taken', () => {
    const line = { mark: 'line', data: { values: [{ x: 1 }] }, encoding: { color: { field: 'arm' } } };
    expect(combineCharts(line, { ...line, mark: 'bar' }, 'a', 'b')).toBeUndefined();
    expect(combineCharts(line, { ...line, data: { url: 'x.csv' } }, 'a', 'b')).toBeUndefined();
    expect(combineCharts(line, line, 'a', 'b')).toMatchObject({ data: { values: [{ x: 1, run: 'a' }, { x: 1, run: 'b' }] }, encoding: { strokeDash: { field: 'run' } } });
  });
  it('keeps nbformat valid for odd outputs and cell ids', () => {
    const run: RunSnapshot = {
      id: 'run-1', status: 'failed', error: 'boom', params: {}, launchedBy: null, createdAt: new Date(0), startedAt: null, finishedAt: null,
      notebookName: 'n', notebookVersion: 1, source: '', notebook: undefined,
      cells: [{
        cellId: 'a.b', kind: 'k', queue: 'loom-cpu', position: 0, status: 'failed', attempt: 1, error: 'bad input', result: null,
        startedAt: null, finishedAt: null, createdAt: new Date(0), attempts: [],
        outputs: [{ data: { 'text/html': { not: 'text' }, 'application/json': { ok: 1 } } }],
      }],
    };
    const nb = exportRunToIpynb(run);
    const cell = nb.cells[0] as any;
    expect(cell.id).toBe('a-b');
    expect(cell.execution_count).toBeNull();
    expect(cell.outputs[0].data['text/html']).toBe('{\n  "not": "text"\n}');
    expect(cell.outputs[1]).toEqual({ output_type: 'error', ename: 'failed', evalue: 'bad input', traceback: ['bad input'] });
  });
});
