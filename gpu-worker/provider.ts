import * as ort from 'onnxruntime-node';
import type { Logger } from 'pino';

export type ProviderChoice = 'auto' | 'cpu' | 'cuda';

/**
 * The execution provider for training: `cuda` when asked for (or `auto` with GPUs) and the CUDA
 * provider actually loads, else `cpu`. Which one was chosen is logged, since a silent fallback
 * would make a GPU worker train at CPU speed without anyone noticing.
 */
export async function chooseProvider(choice: ProviderChoice, gpuCount: number, probeModel: Uint8Array, log?: Logger): Promise<'cpu' | 'cuda'> {
  const wantCuda = choice === 'cuda' || (choice === 'auto' && gpuCount > 0);
  if (!wantCuda) {
    log?.info({ provider: 'cpu', gpuCount }, 'training on the ONNX Runtime CPU provider');
    return 'cpu';
  }
  try {
    const s = await ort.InferenceSession.create(probeModel, { executionProviders: ['cuda'] });
    await s.release();
    log?.info({ provider: 'cuda', gpuCount }, 'training on the ONNX Runtime CUDA provider');
    return 'cuda';
  } catch (err) {
    log?.warn({ provider: 'cpu', gpuCount, err: (err as Error).message }, 'the CUDA provider did not load; training on the CPU provider');
    return 'cpu';
  }
}
