/**
 * The model's view of a batch of rows, after the fitted feature transform. Training, evaluation
 * and serving all build exactly this, so serving equals training.
 */
export interface FeatureBatch {
  /** Number of rows. */
  size: number;
  /** Row-major `size × denseDim` standardised numeric, one-hot and boolean features. */
  dense: Float32Array;
  denseDim: number;
  /**
   * Row-major `size × maxTokens` hashed n-gram ids in `1..textBuckets`; 0 is padding. Empty when
   * the model has no text tower (`maxTokens` 0).
   */
  tokens: Int32Array;
  maxTokens: number;
  /** 0/1 labels when known (training, evaluation). */
  labels?: Float32Array;
}

/** Shape facts the trainer needs from the transform (the rest of it is opaque to the trainer). */
export interface FeatureShape {
  denseDim: number;
  maxTokens: number;
  /** Size of the hashed n-gram vocabulary (embedding rows, excluding padding row 0). */
  textBuckets: number;
  /** Names of the dense columns, in order (for importance and for serving errors). */
  denseNames: string[];
}
