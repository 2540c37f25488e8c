import { access } from 'node:fs/promises';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { readManifest } from '@recsys/models';
import { DeepError, DeepErrorCode } from '../runtime/errors';

/** The file name of a model version's ONNX graph inside its artifact folder. */
export const ONNX_FILE = 'model.onnx';

export interface OnnxScorerOptions {
  /** ONNX Runtime intra-op threads (default 1: a serving process shares its cores). */
  threads?: number;
}

/**
 * Scores a model version from its ONNX graph with ONNX Runtime's CPU execution provider: what the
 * serving engine uses when an artifact folder holds `model.onnx` (NeuMF's export). The graph takes
 * `user` and `item` int64[N] and returns `score` float[N]; this class lays out the pairs.
 */
export class OnnxScorer {
  private readonly allItems: BigInt64Array;

  private constructor(
    private readonly session: ort.InferenceSession,
    readonly users: number,
    readonly items: number,
  ) {
    this.allItems = new BigInt64Array(items);
    for (let i = 0; i < items; i++) this.allItems[i] = BigInt(i);
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

  /** Opens an ONNX file or bytes for a model of `users` × `items`. */
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
    };
    const session =
      typeof model === 'string'
        ? await ort.InferenceSession.create(model, sessionOptions)
        : await ort.InferenceSession.create(model, sessionOptions);
    return new OnnxScorer(session, users, items);
  }

  /** Scores of every item for `user`. */
  async scoreAll(user: number): Promise<Float32Array> {
    this.checkUser(user);
    const users = new BigInt64Array(this.items).fill(BigInt(user));
    return this.run(users, this.allItems);
  }

  /**
   * Scores of `candidates` for each of `users`: `candidates` is either one list shared by every user or
   * users.length × m items laid out user by user; the result is users.length × m, user by user.
   */
  async score(users: Int32Array, candidates: Int32Array, perUser = candidates.length): Promise<Float32Array> {
    const shared = candidates.length === perUser;
    if (!shared && candidates.length !== users.length * perUser)
      throw new RangeError(`score: ${candidates.length} candidates for ${users.length} users × ${perUser}`);
    const n = users.length * perUser;
    const u = new BigInt64Array(n);
    const i = new BigInt64Array(n);
    for (let k = 0; k < users.length; k++) {
      this.checkUser(users[k]);
      const uk = BigInt(users[k]);
      for (let j = 0; j < perUser; j++) {
        const item = shared ? candidates[j] : candidates[k * perUser + j];
        this.checkItem(item);
        u[k * perUser + j] = uk;
        i[k * perUser + j] = BigInt(item);
      }
    }
    return this.run(u, i);
  }

  /** Scores of (users[k], items[k]) pairs as the graph takes them. */
  async run(users: BigInt64Array, items: BigInt64Array): Promise<Float32Array> {
    const feeds = {
      user: new ort.Tensor('int64', users, [users.length]),
      item: new ort.Tensor('int64', items, [items.length]),
    };
    const out = await this.session.run(feeds);
    const score = out.score;
    const data = score.data as Float32Array;
    score.dispose();
    return data;
  }

  async close(): Promise<void> {
    await this.session.release();
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
