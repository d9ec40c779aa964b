#!/usr/bin/env node
// `loom` runs the TypeScript sources directly; tsx compiles on the fly, so there is no build step.
import { register } from 'tsx/esm/api';

register();
await import('./main.ts');
