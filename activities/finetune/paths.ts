import path from 'node:path';
import { LoomInputError } from '../../core/errors.js';

const SAFE_SEGMENT = /^[A-Za-z0-9_-][A-Za-z0-9_.-]{0,199}$/;

function segments(runId: string, cellId: string): [string, string] {
  if (!SAFE_SEGMENT.test(runId) || !SAFE_SEGMENT.test(cellId)) {
    throw new LoomInputError(`run "${runId.slice(0, 80)}" / cell "${cellId.slice(0, 80)}" cannot name a file; ids are letters, digits, _ . -`);
  }
  return [runId, cellId];
}

/** `<artifactsDir>/runs/<runId>/<cellId>/checkpoint.bin` */
export function checkpointPath(artifactsDir: string, runId: string, cellId: string): string {
  return path.join(artifactsDir, 'runs', ...segments(runId, cellId), 'checkpoint.bin');
}

/** `<artifactsDir>/models/<runId>/<cellId>/model.onnx` */
export function modelPath(artifactsDir: string, runId: string, cellId: string): string {
  return path.join(artifactsDir, 'models', ...segments(runId, cellId), 'model.onnx');
}
