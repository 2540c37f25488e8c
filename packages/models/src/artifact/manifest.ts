/**
 * The on-disk format of a trained model: a folder with `manifest.json`, the id maps and one raw
 * little-endian file per array. Typed separately from the model classes (as tfjs keeps keras_format
 * apart from its layers) so the format can be versioned and read without instantiating a model.
 */

export const ARTIFACT_FORMAT = 'recsys-model-artifact';
/** Version of the folder layout itself; each model type versions its own state separately. */
export const ARTIFACT_FORMAT_VERSION = 1;

export type ArrayDType = 'float32' | 'float64' | 'int32' | 'uint8';
export type ModelArray = Float32Array | Float64Array | Int32Array | Uint8Array;

export interface ArrayEntry {
  file: string;
  dtype: ArrayDType;
  length: number;
  sha256: string;
}

export type JsonPrimitive = string | number | boolean | null;
export type Json = JsonPrimitive | Json[] | { [key: string]: Json };

export interface ArtifactManifest {
  format: typeof ARTIFACT_FORMAT;
  formatVersion: number;
  /** Registry name of the model ('als', 'ease'...). */
  modelType: string;
  /** Version of this model type's saved state. */
  modelVersion: number;
  params: Json;
  createdAt: string;
  data: {
    dataset: string;
    /** SHA-256 of the training data (datasetFingerprint). */
    fingerprint: string;
    users: number;
    items: number;
    events: number;
  };
  metrics: Record<string, number>;
  idMaps: { users: string; items: string };
  arrays: Record<string, ArrayEntry>;
  /** Small model-specific values (a global mean, a reference time). */
  state: { [key: string]: Json };
}
