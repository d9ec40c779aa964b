import { execFileSync } from 'node:child_process';

/**
 * GPUs this worker drives: LOOM_GPU_COUNT when set, else what `nvidia-smi -L` lists, else 0
 * (ONNX Runtime's CPU provider; the worker still serves `loom-gpu`, one job at a time).
 */
export function detectGpuCount(configured: number | undefined): number {
  if (configured !== undefined && configured > 0) return configured;
  try {
    const out = execFileSync('nvidia-smi', ['-L'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 5_000 });
    return out.split('\n').filter((l) => l.startsWith('GPU ')).length;
  } catch {
    return 0;
  }
}
