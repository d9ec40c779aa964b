// Importing a type module registers its object, queries, mutations and loaders with the builder.
import './root.js';
import './scalars.js';
import './notebook.js';
import './cell.js';
import './run.js';
import './dataset.js';
import './token.js';
import './model.js';
import './serving.js';
import './approval.js';
import './schedule.js';
import './compare.js';
import './accounting.js';
import './experiment.js';
