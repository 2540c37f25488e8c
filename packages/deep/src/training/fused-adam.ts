import * as tf from '@tensorflow/tfjs';
import { backendArrays } from '../kernels/backend-arrays';

/** Backends whose tensors live in memory JavaScript reads directly (the fused update pays off there). */
const JS_MEMORY_BACKENDS = new Set(['wasm', 'cpu']);

interface Moments {
  m: Float32Array;
  v: Float32Array;
}

/**
 * Adam (Kingma & Ba 2015) with the update of each variable fused into one JavaScript loop, for the
 * backends whose memory JavaScript reads (wasm, cpu). The arithmetic is tf.train.adam's, step for step:
 *   m ← β1·m + (1−β1)·g,  v ← β2·v + (1−β2)·g²,
 *   θ ← θ − lr · (m / (1−β1ᵗ)) / (√(v / (1−β2ᵗ)) + ε),   ε the backend's epsilon (1e-7) by default,
 * dense over every variable (embedding tables included, as PyTorch's torch.optim.Adam does: only the
 * rows a batch touches have non-zero gradients, but every row's moments decay), without tfjs's ~20
 * kernel calls and temporary tensors per variable per step: the moments live in JavaScript arrays and
 * the weights are updated where they are (the backend's memory). `dispose` drops the moments.
 */
export class FusedAdamOptimizer extends tf.Optimizer {
  static get className(): string {
    return 'FusedAdam';
  }

  private readonly moments = new Map<string, Moments>();
  private accBeta1: number;
  private accBeta2: number;
  readonly epsilon: number;

  constructor(
    readonly learningRate: number,
    readonly beta1 = 0.9,
    readonly beta2 = 0.999,
    epsilon?: number,
  ) {
    super();
    // tfjs keeps the running powers β1ᵗ, β2ᵗ as float32 scalars; so does this, for the same rounding.
    this.accBeta1 = Math.fround(beta1);
    this.accBeta2 = Math.fround(beta2);
    this.epsilon = epsilon ?? tf.backend().epsilon();
  }

  applyGradients(variableGradients: tf.NamedTensorMap | { name: string; tensor: tf.Tensor }[]): void {
    const pairs = Array.isArray(variableGradients)
      ? variableGradients.map((g) => [g.name, g.tensor] as const)
      : Object.entries(variableGradients);
    const lr = this.learningRate;
    const { beta1, beta2, epsilon } = this;
    const c1 = Math.fround(1 - this.accBeta1);
    const c2 = Math.fround(1 - this.accBeta2);
    const backend = tf.getBackend();
    const io = backendArrays(backend, tf.backend());
    for (const [name, gradient] of pairs) {
      // A variable the loss does not reach has no gradient (tfjs's Adam skips it too).
      if ((gradient as tf.Tensor | undefined) === undefined) continue;
      const variable = tf.engine().registeredVariables[name];
      // The new weights go to fresh memory, never over the old: tfjs-backend-wasm caches XNNPACK
      // operators with their weights packed, by tensor, so weights changed in place would go unseen.
      const next = io.allocate(variable.shape, 'float32');
      // Views after the allocation, which may have moved the wasm heap.
      const theta = io.read(variable) as Float32Array;
      const g = io.read(gradient) as Float32Array;
      const out = io.read(next.info) as Float32Array;
      let state = this.moments.get(name);
      if (state === undefined) {
        state = { m: new Float32Array(theta.length), v: new Float32Array(theta.length) };
        this.moments.set(name, state);
      }
      const { m, v } = state;
      const step = lr / c1;
      const b2 = 1 / c2;
      for (let k = 0; k < theta.length; k++) {
        const gk = g[k];
        const mk = (m[k] = beta1 * m[k] + (1 - beta1) * gk);
        const vk = (v[k] = beta2 * v[k] + (1 - beta2) * gk * gk);
        out[k] = theta[k] - (step * mk) / (Math.sqrt(vk * b2) + epsilon);
      }
      const updated = tf.engine().makeTensorFromTensorInfo(next.info);
      variable.assign(updated);
      updated.dispose();
    }
    this.accBeta1 = Math.fround(this.accBeta1 * beta1);
    this.accBeta2 = Math.fround(this.accBeta2 * beta2);
    this.incrementIterations();
  }

  override dispose(): void {
    this.moments.clear();
  }

  getConfig(): tf.serialization.ConfigDict {
    return { learningRate: this.learningRate, beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
  }
}

/**
 * The Adam a deep model trains with on the current backend: the fused one where tensors live in
 * JavaScript-readable memory (wasm, cpu), tf.train.adam on the GPU and native backends, where a
 * round trip through JavaScript memory per step would cost more than the kernels it saves.
 */
export function createAdam(learningRate: number): tf.Optimizer {
  return JS_MEMORY_BACKENDS.has(tf.getBackend())
    ? new FusedAdamOptimizer(learningRate)
    : tf.train.adam(learningRate);
}
