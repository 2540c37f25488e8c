import { access } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
// ONNX Runtime's native session, which runs synchronously (see OnnxScorer's comment for why it is used).
import { binding, initOrt, type Binding } from 'onnxruntime-node/dist/binding';
import { readManifest } from '@recsys/models';
import { DeepError, DeepErrorCode } from '../runtime/errors';

/** The file name of a model version's ONNX graph inside its artifact folder. */
export const ONNX_FILE = 'model.onnx';

/** TensorProto.DataType values, as the binding reports an input's element type. */
const INT32 = 6;
const INT64 = 7;

export interface OnnxScorerOptions {
  /**
   * ONNX Runtime intra-op threads (default 1: a serving process shares its cores). Idle threads sleep
   * rather than spin, so a second thread costs nothing between calls.
   */
  threads?: number;
  /**
   * Pairs per ONNX Runtime call (default 4,096). A large request is cut into calls of about this many
   * (user, item) pairs, so each layer's activations stay in the CPU's caches: NeuMF on 1,024 users ×
   * 100 candidates took 36 ms in one call here, 18–22 ms in calls of 32–64 users (bench/neumf.bench.ts).
   */
  pairsPerRun?: number;
}

/**
 * The two input layouts a user × item graph may take:
 * - `candidates`: `user` int32[B] × `item` int32[B, M] (each user's list) or int32[1, M] (one list for
 *   all) → `score` float[B, M] (NeuMF's export: a user's rows are computed once, not once per pair);
 * - `pairs`: `user` int64[N], `item` int64[N] → `score` float[N] (the feature models' ranking graphs).
 */
type GraphLayout = 'candidates' | 'pairs';

/** A model that can hand its scoring to ONNX Runtime (the serving engine attaches a scorer to it). */
export interface OnnxServable {
  /** Routes `score`/`scoreAll` through `scorer` from now on, or back to TensorFlow.js with null. */
  useOnnxScorer(scorer: OnnxScorer | null): void;
}

export function isOnnxServable(model: object): model is OnnxServable {
  return typeof (model as Partial<OnnxServable>).useOnnxScorer === 'function';
}

/**
 * Scores a model version from its ONNX graph with ONNX Runtime's CPU execution provider: what the
 * serving engine uses when an artifact folder holds `model.onnx` with a user × item graph (see
 * GraphLayout). Indexes are the artifact's id maps'.
 *
 * Scoring is synchronous, so the serving engine's ranking path (synchronous, like every model's
 * `score`) can call it. It runs onnxruntime-node's native session directly: the package's public
 * `InferenceSession.run` is only `setImmediate` around that same synchronous native call on the main
 * thread, so going through it would add an event-loop turn and a promise per call, nothing else.
 * `onnxruntime-node` is pinned (1.30.0); `dist/binding` (typed) is what its own backend calls.
 */
export class OnnxScorer {
  private readonly allItems: Int32Array;

  private constructor(
    private readonly session: Binding.InferenceSession,
    private readonly layout: GraphLayout,
    readonly users: number,
    readonly items: number,
    private readonly pairsPerRun: number,
  ) {
    this.allItems = Int32Array.from({ length: items }, (_, i) => i);
  }

  /** Whether an artifact folder carries an ONNX graph. */
  static async available(dir: string): Promise<boolean> {
    try {
      await access(path.join(dir, ONNX_FILE));
      return true;
    } catch {
      return false;
    }
  }

  /** Opens `dir/model.onnx`, sized by the artifact's manifest (users and items of its id maps). */
  static async fromArtifact(dir: string, options: OnnxScorerOptions = {}): Promise<OnnxScorer> {
    if (!(await OnnxScorer.available(dir)))
      throw new DeepError(DeepErrorCode.ONNX_ARTIFACT_MISSING, `artifact ${dir} has no ${ONNX_FILE}`);
    const manifest = await readManifest(dir);
    return OnnxScorer.fromFile(path.join(dir, ONNX_FILE), manifest.data.users, manifest.data.items, options);
  }

  /**
   * Opens an ONNX file or bytes for a model of `users` × `items`. ONNX_ARTIFACT_MISSING when ONNX
   * Runtime cannot load it or its inputs are in neither GraphLayout (the serving engine then keeps
   * the TF.js model).
   */
  static async fromFile(
    model: string | Uint8Array,
    users: number,
    items: number,
    options: OnnxScorerOptions = {},
  ): Promise<OnnxScorer> {
    const sessionOptions: ort.InferenceSession.SessionOptions = {
      executionProviders: ['cpu'],
      intraOpNumThreads: options.threads ?? 1,
      interOpNumThreads: 1,
      graphOptimizationLevel: 'all',
      // Warnings only (ORT logs unused initializers and the like at level 2).
      logSeverityLevel: 3,
      extra: { session: { intra_op: { allow_spinning: '0' } } },
    };
    const source = typeof model === 'string' ? model : 'the graph';
    initOrt();
    const session = new binding.InferenceSession();
    try {
      if (typeof model === 'string') session.loadModel(model, sessionOptions);
      else {
        // The binding reads an ArrayBuffer; bytes on a SharedArrayBuffer are copied first.
        const bytes = model.buffer instanceof ArrayBuffer ? model : model.slice();
        session.loadModel(bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.byteLength, sessionOptions);
      }
    } catch (error) {
      throw new DeepError(
        DeepErrorCode.ONNX_ARTIFACT_MISSING,
        `ONNX Runtime cannot load ${source}: ${(error as Error).message}`,
      );
    }
    const layout = layoutOf(session);
    if (layout === null) {
      session.dispose();
      throw new DeepError(
        DeepErrorCode.ONNX_ARTIFACT_MISSING,
        `${source} does not take user int32[B] × item int32[B, M], nor user and item int64[N]`,
      );
    }
    return new OnnxScorer(session, layout, users, items, Math.max(1, options.pairsPerRun ?? 4096));
  }

  /** Scores of every item for `user`. */
  scoreAll(user: number): Float32Array {
    this.checkUser(user);
    return this.run(Int32Array.of(user), this.allItems, true, this.items);
  }

  /**
   * Scores of `candidates` for each of `users`: `candidates` is either one list shared by every user
   * (length `perUser`, the default) or users.length × perUser items laid out user by user; the result
   * is users.length × perUser, user by user.
   */
  score(users: Int32Array, candidates: Int32Array, perUser = candidates.length): Float32Array {
    const shared = candidates.length === perUser;
    if (!shared && candidates.length !== users.length * perUser)
      throw new RangeError(`score: ${candidates.length} candidates for ${users.length} users × ${perUser}`);
    for (let k = 0; k < users.length; k++) this.checkUser(users[k]);
    for (let k = 0; k < candidates.length; k++) this.checkItem(candidates[k]);
    return this.run(users, candidates, shared, perUser);
  }

  /** Frees the native session; the scorer cannot score afterwards. */
  close(): void {
    this.session.dispose();
  }

  /** Every user's `perUser` candidates (`items`: one shared list, or one list per user), in bounded calls. */
  private run(users: Int32Array, items: Int32Array, shared: boolean, perUser: number): Float32Array {
    const out = new Float32Array(users.length * perUser);
    if (out.length === 0) return out;
    const budget = this.pairsPerRun;
    if (perUser >= budget) {
      // Long lists (a whole catalog): one user at a time, its list in blocks.
      for (let u = 0; u < users.length; u++) {
        const list = shared ? items : items.subarray(u * perUser, (u + 1) * perUser);
        for (let j = 0; j < perUser; j += budget) {
          const block = list.subarray(j, Math.min(perUser, j + budget));
          out.set(this.call(users.subarray(u, u + 1), block, 1), u * perUser + j);
        }
      }
      return out;
    }
    const group = Math.floor(budget / perUser);
    for (let b = 0; b < users.length; b += group) {
      const n = Math.min(group, users.length - b);
      const list = shared ? items : items.subarray(b * perUser, (b + n) * perUser);
      out.set(this.call(users.subarray(b, b + n), list, shared ? 1 : n), b * perUser);
    }
    return out;
  }

  /** One call of the graph: `users` [B] × `items` [rows, M] (rows = B, or 1 for a shared list). */
  private call(users: Int32Array, items: Int32Array, rows: number): Float32Array {
    const m = items.length / rows;
    const feeds =
      this.layout === 'candidates'
        ? {
            user: new ort.Tensor('int32', users, [users.length]),
            item: new ort.Tensor('int32', items, [rows, m]),
          }
        : pairFeeds(users, items, rows, m);
    const out = this.session.run(feeds, { score: null }, {});
    return (out.score as ort.Tensor).data as Float32Array;
  }

  private checkUser(user: number): void {
    if (!Number.isInteger(user) || user < 0 || user >= this.users)
      throw new RangeError(`OnnxScorer: user index ${user} outside 0..${this.users - 1}`);
  }

  private checkItem(item: number): void {
    if (!Number.isInteger(item) || item < 0 || item >= this.items)
      throw new RangeError(`OnnxScorer: item index ${item} outside 0..${this.items - 1}`);
  }
}

function layoutOf(session: Binding.InferenceSession): GraphLayout | null {
  const input = (name: string) => session.inputMetadata.find((m) => m.name === name);
  const user = input('user');
  const item = input('item');
  if (user === undefined || item === undefined || user.shape.length !== 1) return null;
  if (user.type === INT32 && item.type === INT32 && item.shape.length === 2) return 'candidates';
  if (user.type === INT64 && item.type === INT64 && item.shape.length === 1) return 'pairs';
  return null;
}

const LITTLE_ENDIAN = os.endianness() === 'LE';

/**
 * The `pairs` layout's int64 feeds for users [B] × items [rows, m], written as 32-bit halves (indexes
 * are non-negative and below 2³¹) instead of one BigInt per element.
 */
function pairFeeds(
  users: Int32Array,
  items: Int32Array,
  rows: number,
  m: number,
): Record<string, ort.Tensor> {
  const n = users.length * m;
  const u = new BigInt64Array(n);
  const i = new BigInt64Array(n);
  const u32 = new Int32Array(u.buffer);
  const i32 = new Int32Array(i.buffer);
  const low = LITTLE_ENDIAN ? 0 : 1;
  for (let b = 0; b < users.length; b++) {
    const row = rows === 1 ? 0 : b * m;
    for (let j = 0; j < m; j++) {
      const k = b * m + j;
      u32[2 * k + low] = users[b];
      i32[2 * k + low] = items[row + j];
    }
  }
  return { user: new ort.Tensor('int64', u, [n]), item: new ort.Tensor('int64', i, [n]) };
}
