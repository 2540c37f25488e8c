import { stateArray, type ModelState } from '@recsys/models';
import type { ParameterStore } from './parameter-store';

/**
 * Writes a saved model state's weights into `parameters`: every weight the network has must be in the
 * state as a float32 array of its shape's size, or loading fails with BAD_ARTIFACT naming the weight.
 * Every deep model's `importState` restores its network through this.
 */
export function restoreWeights(model: string, state: ModelState, parameters: ParameterStore): void {
  const weights: Record<string, Float32Array> = {};
  for (const name of parameters.names()) {
    const size = parameters.shapeOf(name).reduce((a, b) => a * b, 1);
    weights[name] = stateArray(model, state, name, 'float32', size);
  }
  parameters.write(weights);
}
