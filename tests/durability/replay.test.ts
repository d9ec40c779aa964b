import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import { workflowBundle } from '../../runtime/workers.js';
import { installTemporalRuntime } from '../../runtime/temporal-runtime.js';
import { historyFromFixture } from './support.js';

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');

function recordedHistory() {
  return historyFromFixture(JSON.parse(fs.readFileSync(path.join(FIXTURES, 'campaign-run-history.json'), 'utf8')));
}

const noop = () => {};
const quiet = { log: noop, trace: noop, debug: noop, info: noop, warn: noop, error: noop };

describe('the recorded campaign run history (tests/durability/fixtures)', () => {
  installTemporalRuntime();

  test('covers a retried cell, a failed cell and a skipped branch', () => {
    const events = recordedHistory().events;
    expect(events[0]?.workflowExecutionStartedEventAttributes?.workflowType?.name).toBe('campaignRun');
    const started = events.filter((e) => e.activityTaskStartedEventAttributes).map((e) => e.activityTaskStartedEventAttributes!.attempt);
    expect(started).toContain(2);
    expect(events.some((e) => e.activityTaskFailedEventAttributes)).toBe(true);
    expect(events.at(-1)?.workflowExecutionFailedEventAttributes?.failure?.message).toMatch(/cell "broken" failed/);
  });

  test('replays against the current workflow code without nondeterminism', async () => {
    await Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, recordedHistory(), 'campaign-run-fixture');
  });

  test('a workflow that schedules differently fails the same replay', async () => {
    const reordered = await bundleWorkflowCode({ workflowsPath: path.join(FIXTURES, 'reordered-workflow.ts'), logger: quiet });
    await expect(Worker.runReplayHistory({ workflowBundle: reordered }, recordedHistory(), 'campaign-run-fixture'))
      .rejects.toMatchObject({ name: 'DeterminismViolationError' });
  });
});
