import * as tf from '@tensorflow/tfjs';
import { Rng } from '@recsys/data';
import { initialValues, type Initializer } from './initializers';

/** A weight's values by name: what checkpoints and artifacts hold (float32, row-major). */
export type WeightArrays = Record<string, Float32Array>;

interface Entry {
  shape: number[];
  variable: tf.Variable;
}

/**
 * The named trainable weights of a network (the role of tfjs-layers' `Layer.addWeight`, without the
 * layers machinery): created from seeded initialisers, read out as named float32 arrays for
 * checkpoints, artifacts and ONNX export, written back on restore, and disposed together.
 * Names are artifact-safe (`[a-zA-Z0-9_]`), e.g. `mlp_dense_0_kernel`.
 */
export class ParameterStore {
  private readonly entries = new Map<string, Entry>();
  private readonly rng: Rng;

  constructor(seed: number) {
    this.rng = new Rng(seed);
  }

  /** Adds a weight initialised by `init` (draws advance the store's Rng in creation order). */
  add(name: string, shape: number[], init: Initializer): tf.Variable {
    if (!/^[a-zA-Z0-9_]+$/.test(name)) throw new Error(`weight name "${name}" must be [a-zA-Z0-9_]`);
    if (this.entries.has(name)) throw new Error(`weight "${name}" added twice`);
    const values = initialValues(init, shape, this.rng);
    const variable = tf.tidy(() =>
      tf.variable(tf.tensor(values, shape, 'float32'), true, `${name}_${uniqueSuffix()}`),
    );
    this.entries.set(name, { shape, variable });
    return variable;
  }

  get(name: string): tf.Variable {
    const e = this.entries.get(name);
    if (e === undefined) throw new Error(`no weight "${name}"`);
    return e.variable;
  }

  names(): string[] {
    return [...this.entries.keys()];
  }

  shapeOf(name: string): number[] {
    return [...(this.entries.get(name)?.shape ?? [])];
  }

  variables(): tf.Variable[] {
    return [...this.entries.values()].map((e) => e.variable);
  }

  /** Number of trainable values. */
  size(): number {
    let n = 0;
    for (const e of this.entries.values()) n += e.variable.size;
    return n;
  }

  /** A copy of every weight's values. */
  read(): WeightArrays {
    const out: WeightArrays = {};
    for (const [name, e] of this.entries) out[name] = Float32Array.from(e.variable.dataSync());
    return out;
  }

  /** Overwrites every weight from `arrays` (each must be present with the weight's size). */
  write(arrays: WeightArrays): void {
    for (const [name, e] of this.entries) {
      const a = arrays[name];
      if (a === undefined) throw new Error(`weights lack "${name}"`);
      if (a.length !== e.variable.size)
        throw new Error(
          `weight "${name}" has ${a.length} values, expected ${e.variable.size} (${e.shape.join('×')})`,
        );
      tf.tidy(() => e.variable.assign(tf.tensor(a, e.shape, 'float32')));
    }
  }

  dispose(): void {
    for (const e of this.entries.values()) e.variable.dispose();
    this.entries.clear();
  }
}

let counter = 0;
/** tfjs variable names are global to the engine: keep two models' weights apart. */
function uniqueSuffix(): number {
  return counter++;
}
