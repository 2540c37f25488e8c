import { PLACEMENTS, type Placement } from '../contract';
import type { EventSink } from '../events';
import { errorMessage, type Logger } from '../logger';
import type { ModelRef, ModelSource } from './model-source';
import { loadServedModel, type ServedModel } from './served-model';

function isPlacement(value: string): value is Placement {
  return (PLACEMENTS as readonly string[]).includes(value);
}

/**
 * The model serving each placement (a placement without its own falls back to 'home'). A change is
 * loaded completely before one reference is replaced, so a request that read the old model keeps it to
 * the end and the next one sees the new; a failed load keeps the old model. Refreshes of a placement
 * are serialised, and a change announced during a load triggers one more check afterwards.
 */
export class ActiveModels {
  private readonly slots = new Map<Placement, ServedModel>();
  private readonly inFlight = new Map<Placement, Promise<void>>();
  private readonly again = new Set<Placement>();

  constructor(
    private readonly source: ModelSource,
    private readonly sink: EventSink,
    private readonly logger: Logger,
    private readonly load: (ref: ModelRef) => Promise<ServedModel> = loadServedModel,
  ) {}

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

  /** A version another placement already serves (one copy in memory). */
  private loadedVersion(versionId: string): ServedModel | undefined {
    for (const served of this.slots.values()) if (served.versionId === versionId) return served;
    return undefined;
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
    this.sink.emit({ type: 'model-swap', placement, from: current?.label ?? null, to: next.label });
    this.logger.info({ placement, from: current?.label ?? null, to: next.label }, 'model swapped');
  }
}
