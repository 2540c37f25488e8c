/** Public error codes of the deep-learning package; callers branch on `code`, never on message text. */
export const DeepErrorCode = {
  /** TFJS_BACKEND (or an explicit request) names a backend that is not installed or fails to start. */
  BACKEND_UNAVAILABLE: 'BACKEND_UNAVAILABLE',
  /** TFJS_BACKEND holds a value that names no backend. */
  UNKNOWN_BACKEND: 'UNKNOWN_BACKEND',
  /** A model cannot be exported to or served from ONNX. */
  ONNX_EXPORT_FAILED: 'ONNX_EXPORT_FAILED',
  /** An artifact folder has no model.onnx, or it does not fit the artifact's id maps. */
  ONNX_ARTIFACT_MISSING: 'ONNX_ARTIFACT_MISSING',
} as const;
export type DeepErrorCode = (typeof DeepErrorCode)[keyof typeof DeepErrorCode];

export class DeepError extends Error {
  constructor(
    readonly code: DeepErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'DeepError';
  }
}
