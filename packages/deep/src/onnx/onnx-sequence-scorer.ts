import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { readArtifact, readManifest } from '@recsys/models';
import { DeepError, DeepErrorCode } from '../runtime/errors';
import { PAD, padSequence } from '../training/sequence-examples';
import { ONNX_FILE, OnnxScorer, type OnnxScorerOptions } from './onnx-scorer';
import { CANDIDATES_INPUT, SCORES_OUTPUT, SEQUENCE_INPUT } from './sequence-onnx';

/** The model types whose ONNX graph takes item sequences (sequence-onnx.ts). */
export const SEQUENCE_MODEL_TYPES = ['sasrec', 'gru4rec'] as const;

/**
 * Scores a sequential model (SASRec, GRU4Rec) from its ONNX graph with ONNX Runtime's CPU provider.
 * OnnxScorer's user × item signature does not fit these graphs, which take item sequences
 * (`sequence` int64[N, maxLen], left-padded with −1) and candidates int64[N, M]: this class pads
 * sequences, lays out candidates and, opened from an artifact, also scores known users from the
 * histories the artifact stores (each user's last maxLen training items).
 */
export class OnnxSequenceScorer {
  private constructor(
    private readonly session: ort.InferenceSession,
    readonly items: number,
    readonly maxLen: number,
    /** users × maxLen stored histories (left-padded), or null when opened from a bare graph. */
    private readonly histories: Int32Array | null,
  ) {}

  /**
   * Opens `dir/model.onnx` of a sasrec or gru4rec artifact, with the artifact's stored histories.
   * ONNX_ARTIFACT_MISSING when there is no graph or the artifact is of another model type.
   */
  static async fromArtifact(dir: string, options: OnnxScorerOptions = {}): Promise<OnnxSequenceScorer> {
    if (!(await OnnxScorer.available(dir)))
      throw new DeepError(DeepErrorCode.ONNX_ARTIFACT_MISSING, `artifact ${dir} has no ${ONNX_FILE}`);
    const manifest = await readManifest(dir);
    if (!(SEQUENCE_MODEL_TYPES as readonly string[]).includes(manifest.modelType))
      throw new DeepError(
        DeepErrorCode.ONNX_ARTIFACT_MISSING,
        `artifact ${dir} holds a "${manifest.modelType}" model, not a sequence model (${SEQUENCE_MODEL_TYPES.join(', ')})`,
      );
    const { arrays } = await readArtifact(dir, manifest.modelType, manifest.modelVersion);
    const histories = arrays.histories;
    const maxLen = manifest.data.users > 0 && histories ? histories.length / manifest.data.users : NaN;
    if (!(histories instanceof Int32Array) || !Number.isInteger(maxLen) || maxLen < 1)
      throw new DeepError(
        DeepErrorCode.ONNX_ARTIFACT_MISSING,
        `artifact ${dir} has no valid stored histories`,
      );
    return OnnxSequenceScorer.fromFile(
      path.join(dir, ONNX_FILE),
      manifest.data.items,
      maxLen,
      options,
      histories,
    );
  }

  /** Opens an ONNX sequence graph (file or bytes) of a model over `items` items and `maxLen` positions. */
  static async fromFile(
    model: string | Uint8Array,
    items: number,
    maxLen: number,
    options: OnnxScorerOptions = {},
    histories: Int32Array | null = null,
  ): Promise<OnnxSequenceScorer> {
    const sessionOptions: ort.InferenceSession.SessionOptions = {
      executionProviders: ['cpu'],
      intraOpNumThreads: options.threads ?? 1,
      interOpNumThreads: 1,
      graphOptimizationLevel: 'all',
      logSeverityLevel: 3,
    };
    const session =
      typeof model === 'string'
        ? await ort.InferenceSession.create(model, sessionOptions)
        : await ort.InferenceSession.create(model, sessionOptions);
    const expected = [SEQUENCE_INPUT, CANDIDATES_INPUT];
    if (
      expected.some((name) => !session.inputNames.includes(name)) ||
      !session.outputNames.includes(SCORES_OUTPUT)
    ) {
      await session.release();
      throw new DeepError(
        DeepErrorCode.ONNX_ARTIFACT_MISSING,
        `ONNX graph takes ${session.inputNames.join(', ')}, not a sequence graph (${expected.join(', ')})`,
      );
    }
    return new OnnxSequenceScorer(session, items, maxLen, histories);
  }

  /** Scores of `candidates` (every item when omitted) after an anonymous session's items, oldest first. */
  async scoreSequence(items: ArrayLike<number>, candidates?: Int32Array): Promise<Float32Array> {
    if (items.length === 0)
      throw new RangeError('OnnxSequenceScorer: an empty sequence has nothing to score from');
    for (let k = 0; k < items.length; k++) this.checkItem(items[k]);
    const c = candidates ?? Int32Array.from({ length: this.items }, (_, i) => i);
    return this.scorePadded(padSequence(items, this.maxLen), c, c.length);
  }

  /**
   * Scores of candidates for known users from their stored histories: `candidates` is one list shared
   * by every user or users.length × perUser items laid out user by user.
   */
  async scoreUsers(
    users: Int32Array,
    candidates: Int32Array,
    perUser = candidates.length,
  ): Promise<Float32Array> {
    const h = this.histories;
    if (h === null)
      throw new RangeError('OnnxSequenceScorer: opened without stored histories (use fromArtifact)');
    const L = this.maxLen;
    const nUsers = h.length / L;
    const sequences = new Int32Array(users.length * L);
    for (let k = 0; k < users.length; k++) {
      const u = users[k];
      if (!Number.isInteger(u) || u < 0 || u >= nUsers)
        throw new RangeError(`OnnxSequenceScorer: user index ${u} outside 0..${nUsers - 1}`);
      if (h[(u + 1) * L - 1] === PAD)
        throw new RangeError(`OnnxSequenceScorer: user ${u} has no stored history`);
      sequences.set(h.subarray(u * L, (u + 1) * L), k * L);
    }
    return this.scorePadded(sequences, candidates, perUser);
  }

  /**
   * Scores of padded sequences (rows × maxLen, left-padded with −1, at least one item each) against
   * candidates shared by every row (candidates.length === perRow) or laid out row by row.
   */
  async scorePadded(sequences: Int32Array, candidates: Int32Array, perRow: number): Promise<Float32Array> {
    const L = this.maxLen;
    if (sequences.length % L !== 0 || sequences.length === 0)
      throw new RangeError(`OnnxSequenceScorer: ${sequences.length} sequence entries is not rows × ${L}`);
    const rows = sequences.length / L;
    const shared = candidates.length === perRow;
    if (!shared && candidates.length !== rows * perRow)
      throw new RangeError(
        `OnnxSequenceScorer: ${candidates.length} candidates for ${rows} rows × ${perRow}`,
      );
    for (let k = 0; k < sequences.length; k++) if (sequences[k] !== PAD) this.checkItem(sequences[k]);
    for (let k = 0; k < candidates.length; k++) this.checkItem(candidates[k]);
    const seq = toInt64(sequences, sequences.length);
    const cand = toInt64(candidates, rows * perRow);
    const out = await this.session.run({
      [SEQUENCE_INPUT]: new ort.Tensor('int64', seq, [rows, L]),
      [CANDIDATES_INPUT]: new ort.Tensor('int64', cand, [rows, perRow]),
    });
    const scores = out[SCORES_OUTPUT];
    const data = scores.data as Float32Array;
    scores.dispose();
    return data;
  }

  async close(): Promise<void> {
    await this.session.release();
  }

  private checkItem(item: number): void {
    if (!Number.isInteger(item) || item < 0 || item >= this.items)
      throw new RangeError(`OnnxSequenceScorer: item index ${item} outside 0..${this.items - 1}`);
  }
}

/**
 * `values` as int64, repeated to `length` entries (a shared candidate list for every row), written as
 * little-endian word pairs (low word, sign word): no BigInt per entry, which took most of the
 * JavaScript side of a 1,024 × 100 call.
 */
function toInt64(values: Int32Array, length: number): BigInt64Array {
  const out = new BigInt64Array(length);
  const words = new Int32Array(out.buffer);
  for (let k = 0; k < length; k++) {
    const v = values[k % values.length];
    words[2 * k] = v;
    words[2 * k + 1] = v >> 31;
  }
  return out;
}
