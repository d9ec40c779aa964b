import { proxyActivities } from '@temporalio/workflow';

/** The baseline's activities: as trivial as the `noop` cells Loom runs. */
export interface PlainActivities {
  step(input: { index: number; value: string }): Promise<{ index: number; value: string }>;
}

const { step } = proxyActivities<PlainActivities>({
  startToCloseTimeout: '30s',
  retry: { maximumAttempts: 3, initialInterval: '100ms' },
});

/** A plain Temporal workflow: `steps` activities in sequence, each fed the previous result. */
export async function plainChain(steps: number): Promise<string> {
  let value = 'start';
  for (let i = 0; i < steps; i++) {
    const out = await step({ index: i, value });
    value = out.value;
  }
  return value;
}
