import { BadUserInputError } from '../../services/errors.js';
import { score, sharedServing, type Prediction, type PredictResult, type ScoreResult } from '../../services/serving/index.js';
import { builder } from '../builder.js';

const PredictionRef = builder.objectRef<Prediction>('Prediction').implement({
  fields: (t) => ({
    probability: t.exposeFloat('probability', { description: 'Probability of purchase.' }),
    label: t.exposeInt('label', { description: '1 when probability ≥ the version\'s threshold.' }),
  }),
});

const PredictResultRef = builder.objectRef<PredictResult>('PredictResult').implement({
  fields: (t) => ({
    model: t.exposeString('model'),
    version: t.exposeInt('version'),
    versionId: t.exposeString('versionId'),
    alias: t.exposeString('alias', { nullable: true }),
    threshold: t.exposeFloat('threshold'),
    predictions: t.field({ type: [PredictionRef], description: 'One per input row, in order.', resolve: (r) => r.predictions }),
  }),
});

const ScoreRef = builder.objectRef<ScoreResult>('Score').implement({
  fields: (t) => ({
    customerId: t.exposeString('customerId'),
    model: t.exposeString('model'),
    version: t.exposeInt('version'),
    alias: t.exposeString('alias'),
    probability: t.exposeFloat('probability'),
    label: t.exposeInt('label'),
    threshold: t.exposeFloat('threshold'),
    datasetId: t.exposeString('datasetId', { description: 'The dataset the customer\'s features were read from.' }),
  }),
});

builder.queryFields((t) => ({
  predict: t.field({
    type: PredictResultRef,
    description: 'Purchase probabilities for rows of raw features (the columns the model was trained on). Give an alias (default champion) or a version.',
    args: {
      model: t.arg.string({ required: true }),
      alias: t.arg.string({ required: false }),
      version: t.arg.int({ required: false }),
      rows: t.arg({ type: 'JSON', required: true, description: 'A list of objects, column: value.' }),
    },
    resolve: (_r, args, ctx) => {
      if (args.alias != null && args.version != null) throw new BadUserInputError('Give either alias or version, not both.');
      const selector = args.version != null ? { version: args.version } : { alias: args.alias ?? 'champion' };
      return sharedServing().predict(ctx, args.model, selector, args.rows);
    },
  }),
  score: t.field({
    type: ScoreRef,
    description: 'Scores a known customer by id from the feature dataset the model was trained on.',
    args: {
      model: t.arg.string({ required: true }),
      alias: t.arg.string({ required: false, description: 'Default champion.' }),
      customerId: t.arg.string({ required: true }),
    },
    resolve: (_r, args, ctx) => score(sharedServing(), ctx, { model: args.model, alias: args.alias ?? 'champion', customerId: args.customerId }),
  }),
}));
