import { TestWorkflowEnvironment } from '@temporalio/testing';
import { ensureTemporalCli, ensureTemporalTestServer } from '../../runtime/temporal-binary.js';
import { installTemporalRuntime } from '../../runtime/temporal-runtime.js';

/** A real Temporal dev server (the `temporal` CLI) on a free port, in memory. */
export async function startDevServer(): Promise<TestWorkflowEnvironment> {
  installTemporalRuntime();
  const cli = ensureTemporalCli();
  return TestWorkflowEnvironment.createLocal({
    server: {
      executable: cli ? { type: 'existing-path', path: cli.path } : { type: 'cached-download' },
      ip: '127.0.0.1',
      ui: false,
      extraArgs: ['--log-level', 'error', '--dynamic-config-value', 'frontend.enableUpdateWorkflowExecution=true'],
    },
  });
}

/** Temporal's time-skipping test server: durable timers of weeks pass in seconds. */
export async function startTimeSkippingServer(): Promise<TestWorkflowEnvironment> {
  installTemporalRuntime();
  const bin = ensureTemporalTestServer();
  return TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: bin ? { type: 'existing-path', path: bin } : { type: 'cached-download' } },
  });
}
