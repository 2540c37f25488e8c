import type { Placement } from '../contract';

/** A model version ready to load: a local artifact folder and how to name it. */
export interface ModelRef {
  /** Stable id of the version (the registry's ModelVersion id); a different id means a different model. */
  versionId: string;
  /** `${modelType}@${version}`, reported as RecommendationList.modelVersion. */
  versionLabel: string;
  /** Local folder written by `model.save(dir)`. */
  dir: string;
}

/** Where the engine finds the model each placement should serve. */
export interface ModelSource {
  /** The version that should serve `placement` now, or null when none is in production there. */
  production(placement: Placement): Promise<ModelRef | null>;
  /**
   * Any version by id, whatever its stage (an experiment's variant), or null when there is no such
   * version to serve. Optional: without it only production versions can be served.
   */
  version?(versionId: string): Promise<ModelRef | null>;
}

/** A hint that the production model of `placement` may have changed. */
export interface ModelChange {
  placement: string;
  versionId?: string;
}

/**
 * Subscribes to model changes (the registry's Redis pub/sub channel in production); resolves once
 * subscribed, with a function that unsubscribes.
 */
export type ModelEventSubscription = (
  onChange: (change: ModelChange) => void,
) => Promise<() => void | Promise<void>>;

/** A model source backed by a fixed table of folders, changed with `set`: tests, demos, the CLI. */
export interface DirectoryModelSource extends ModelSource {
  set(placement: Placement, ref: ModelRef | null): void;
  /** Makes a version known to `version(id)` without putting it in production anywhere. */
  addVersion(ref: ModelRef): void;
}

export function directoryModelSource(refs: Partial<Record<Placement, ModelRef>> = {}): DirectoryModelSource {
  const table = new Map<Placement, ModelRef>(Object.entries(refs) as [Placement, ModelRef][]);
  const others = new Map<string, ModelRef>();
  return {
    async production(placement) {
      return table.get(placement) ?? null;
    },
    async version(versionId) {
      return others.get(versionId) ?? [...table.values()].find((r) => r.versionId === versionId) ?? null;
    },
    set(placement, ref) {
      if (ref === null) table.delete(placement);
      else table.set(placement, ref);
    },
    addVersion(ref) {
      others.set(ref.versionId, ref);
    },
  };
}
