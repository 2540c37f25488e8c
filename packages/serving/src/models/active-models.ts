import { LRUCache } from 'lru-cache';
import { PLACEMENTS, type Placement } from '../contract';
import type { EventSink } from '../events';
import { errorMessage, type Logger } from '../logger';
import type { ModelRef, ModelSource } from './model-source';
import { releaseModel } from './onnx-scoring';
import { loadServedModel, type ServedModel } from './served-model';

export interface ActiveModelsOptions {
  /**
   * Versions requested by id (`version`) kept loaded, least recently used evicted first.
   * @defaultValue 4
   */
  versionCacheSize?: number;
  /**
   * After a version failed to load (or was not found), requests for it answer null without trying
   * again for this long.
   * @defaultValue 30_000
   */
  versionRetryMs?: number;
  /**
   * How long a model that stopped serving (swapped out, evicted) stays usable before what it holds
   * outside the JS heap (TF.js tensors, an ONNX session) is freed: a request that read it before the
   * change keeps it to its end.
   * @defaultValue 60_000
   */
  retireAfterMs?: number;
}

function isPlacement(value: string): value is Placement {
  return (PLACEMENTS as readonly string[]).includes(value);
}

/**
 * The model serving each placement (a placement without its own falls back to 'home'). A change is
 * loaded completely before one reference is replaced, so a request that read the old model keeps it to
 * the end and the next one sees the new; a failed load keeps the old model. Refreshes of a placement
 * are serialised, and a change announced during a load triggers one more check afterwards.
 * Besides, any version can be asked for by id (`version`: an experiment's variant), loaded on first use
 * and kept in a small LRU.
 */
export class ActiveModels {
  private readonly slots = new Map<Placement, ServedModel>();
  private readonly inFlight = new Map<Placement, Promise<void>>();
  private readonly again = new Set<Placement>();
  private readonly versions: LRUCache<string, ServedModel>;
  private readonly versionLoads = new Map<string, Promise<ServedModel | null>>();
  /** Version id → when asking for it may be tried again, after a failed or empty lookup. */
  private readonly versionMisses = new Map<string, number>();
  private readonly load: (ref: ModelRef) => Promise<ServedModel>;
  private readonly options: Required<ActiveModelsOptions>;

  constructor(
    private readonly source: ModelSource,
    private readonly sink: EventSink,
    private readonly logger: Logger,
    load?: (ref: ModelRef) => Promise<ServedModel>,
    options: ActiveModelsOptions = {},
  ) {
    this.load = load ?? ((ref) => loadServedModel(ref, { logger }));
    this.options = { versionCacheSize: 4, versionRetryMs: 30_000, retireAfterMs: 60_000, ...options };
    this.versions = new LRUCache<string, ServedModel>({
      max: Math.max(1, this.options.versionCacheSize),
      dispose: (served) => this.retire(served),
    });
  }

  /** The model for `placement`, or home's, or null (cold-start answers only). */
  get(placement: Placement): ServedModel | null {
    return this.slots.get(placement) ?? this.slots.get('home') ?? null;
  }

  /** Placement → label of the model answering it. */
  labels(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const p of PLACEMENTS) {
      const served = this.get(p);
      if (served) out[p] = served.label;
    }
    return out;
  }

  refreshAll(): Promise<void> {
    return Promise.all(PLACEMENTS.map((p) => this.refresh(p))).then(() => undefined);
  }

  /** Reacts to a model event; an unknown placement checks them all. */
  onChange(placement: string): Promise<void> {
    return isPlacement(placement) ? this.refresh(placement) : this.refreshAll();
  }

  /** Asks the source which version should serve `placement` and swaps to it if it changed. Never throws. */
  refresh(placement: Placement): Promise<void> {
    const running = this.inFlight.get(placement);
    if (running) {
      this.again.add(placement);
      return running;
    }
    const run = (async () => {
      do {
        this.again.delete(placement);
        await this.check(placement);
      } while (this.again.has(placement));
    })().finally(() => this.inFlight.delete(placement));
    this.inFlight.set(placement, run);
    return run;
  }

  /**
   * The version `versionId` whatever its stage, loaded on first use (concurrent requests share one
   * load) and kept among the `versionCacheSize` most recently used; a version a placement serves is
   * that same copy. Null when the source has no such version or it fails to load (logged and reported
   * as `model-load-failed`; asked again only after `versionRetryMs`). Never throws.
   */
  version(versionId: string): Promise<ServedModel | null> {
    const loaded = this.loadedVersion(versionId);
    if (loaded) {
      this.versions.get(versionId); // refresh its recency when it is cached
      return Promise.resolve(loaded);
    }
    const retryAt = this.versionMisses.get(versionId);
    if (retryAt !== undefined && Date.now() < retryAt) return Promise.resolve(null);
    let running = this.versionLoads.get(versionId);
    if (!running) {
      running = this.loadVersion(versionId).finally(() => this.versionLoads.delete(versionId));
      this.versionLoads.set(versionId, running);
    }
    return running;
  }

  /** Ids of the versions loaded by id, most recently used first. */
  cachedVersions(): string[] {
    return [...this.versions.keys()];
  }

  private async loadVersion(versionId: string): Promise<ServedModel | null> {
    const miss = (): null => {
      this.versionMisses.set(versionId, Date.now() + this.options.versionRetryMs);
      return null;
    };
    let ref: ModelRef | null = null;
    try {
      ref = (await this.source.version?.(versionId)) ?? null;
      if (ref === null) {
        this.logger.warn({ versionId }, 'no such model version to serve');
        return miss();
      }
      const served = this.loadedVersion(versionId) ?? (await this.load(ref));
      this.versionMisses.delete(versionId);
      if (!this.isServing(served)) this.versions.set(versionId, served);
      return served;
    } catch (error) {
      const message = errorMessage(error);
      this.sink.emit({ type: 'model-load-failed', placement: `version:${versionId}`, error: message });
      this.logger.error(
        { versionId, version: ref?.versionLabel, dir: ref?.dir, err: message },
        'model version load failed',
      );
      return miss();
    }
  }

  /** A loaded copy of the version: one a placement serves, or one loaded by id. */
  private loadedVersion(versionId: string): ServedModel | undefined {
    for (const served of this.slots.values()) if (served.versionId === versionId) return served;
    return this.versions.peek(versionId);
  }

  /** Whether a placement serves `served`. */
  private isServing(served: ServedModel): boolean {
    for (const s of this.slots.values()) if (s === served) return true;
    return false;
  }

  /** Whether a placement or the version cache still holds `served`. */
  private isHeld(served: ServedModel): boolean {
    return this.isServing(served) || this.versions.peek(served.versionId) === served;
  }

  /**
   * Frees a model nothing holds any more, after `retireAfterMs` (a request that read it before it was
   * replaced finishes with it first), unless it has been taken back in the meantime.
   */
  private retire(served: ServedModel): void {
    const timer = setTimeout(() => {
      if (!this.isHeld(served)) releaseModel(served.model);
    }, this.options.retireAfterMs);
    timer.unref();
  }

  private async check(placement: Placement): Promise<void> {
    const current = this.slots.get(placement) ?? null;
    let ref: ModelRef | null;
    try {
      ref = await this.source.production(placement);
    } catch (error) {
      this.logger.warn(
        { placement, err: errorMessage(error) },
        'model source failed; keeping the current model',
      );
      return;
    }
    if (ref === null) {
      if (current) {
        this.slots.delete(placement);
        this.retire(current);
        this.logger.info({ placement, was: current.label }, 'no production model any more for placement');
      }
      return;
    }
    if (current?.versionId === ref.versionId) return;
    let next: ServedModel;
    try {
      next = this.loadedVersion(ref.versionId) ?? (await this.load(ref));
    } catch (error) {
      const message = errorMessage(error);
      this.sink.emit({ type: 'model-load-failed', placement, error: message });
      this.logger.error(
        { placement, version: ref.versionLabel, dir: ref.dir, err: message, keeping: current?.label ?? null },
        'model load failed; keeping the current model',
      );
      return;
    }
    this.slots.set(placement, next);
    // A version loaded by id that now serves a placement is held there; the cache need not keep it.
    if (this.versions.peek(next.versionId) === next) this.versions.delete(next.versionId);
    if (current) this.retire(current);
    this.sink.emit({ type: 'model-swap', placement, from: current?.label ?? null, to: next.label });
    this.logger.info({ placement, from: current?.label ?? null, to: next.label }, 'model swapped');
  }
}
