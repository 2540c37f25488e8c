// ml-logistic-regression ships no types: the part the reference test uses (one-vs-all gradient ascent).
declare module 'ml-logistic-regression' {
  import type { Matrix } from 'ml-matrix';

  interface TwoClassClassifier {
    weights: Matrix;
  }

  export default class LogisticRegression {
    constructor(options?: { numSteps?: number; learningRate?: number });
    /** One classifier per class c, each trained on "label ≠ c" (so classifier 0 models P(label = 1) for 0/1 labels). */
    classifiers: TwoClassClassifier[];
    train(x: Matrix, y: Matrix): void;
  }
}
