export * from './notebooks.js';
export * from './runs.js';
export * from './cells.js';
export * from './datasets.js';
export * from './tokens.js';
export * from './settings.js';
export * from './models.js';
export * from './experiments.js';
