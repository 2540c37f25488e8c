/**
 * Public error codes of the model layer. Callers branch on `code`, never on message text: the
 * inference engine answers COLD_START with its fallback, the CLI turns INVALID_PARAMS into exit 2.
 */
export const ModelErrorCode = {
  /** The user has no history the model learned from (Surprise's PredictionImpossible). */
  COLD_START: 'COLD_START',
  /** An item or user index outside the model's id maps. */
  UNKNOWN_ID: 'UNKNOWN_ID',
  /** `score`/`recommend` before `fit` or `load`. */
  NOT_FITTED: 'NOT_FITTED',
  /** Parameters with an unknown key, a wrong type or a value out of range. */
  INVALID_PARAMS: 'INVALID_PARAMS',
  /** An artifact folder of another model type, an unsupported format version, or damaged files. */
  BAD_ARTIFACT: 'BAD_ARTIFACT',
  /** Training could not produce a usable model (NaN factors, empty data). */
  FIT_FAILED: 'FIT_FAILED',
  /** Training was stopped through its AbortSignal. */
  ABORTED: 'ABORTED',
} as const;
export type ModelErrorCode = (typeof ModelErrorCode)[keyof typeof ModelErrorCode];

export class ModelError extends Error {
  constructor(
    readonly code: ModelErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ModelError';
  }
}

/** The model cannot personalise for this user: answer with a fallback (popular, trending, content). */
export class ColdStartError extends ModelError {
  constructor(
    readonly model: string,
    readonly user: number,
  ) {
    super(ModelErrorCode.COLD_START, `${model}: user ${user} has no training history`);
    this.name = 'ColdStartError';
  }
}

export function throwIfAborted(signal: AbortSignal | undefined, model: string): void {
  if (signal?.aborted) throw new ModelError(ModelErrorCode.ABORTED, `${model}: training aborted`);
}
