import type { Experiment } from '../contract';
import { silentLogger, type ExperimentLogger } from '../logger';

/** Where the running experiments come from (ExperimentStore meets it). */
export interface RunningExperimentSource {
  running(): Promise<Experiment[]>;
}

export interface ActiveExperimentsOptions {
  /** How old the in-memory copy may grow before a read reloads it (in the background). @defaultValue 5000 */
  refreshMs?: number;
  logger?: ExperimentLogger;
}

/** Whether `experiment` applies at `now`: within [startAt, endAt). */
export function appliesAt(experiment: Experiment, now: Date): boolean {
  const t = now.getTime();
  return (
    experiment.startAt !== null &&
    experiment.startAt.getTime() <= t &&
    (experiment.endAt === null || t < experiment.endAt.getTime())
  );
}

/**
 * The running experiments as the request path reads them: an in-memory copy, reloaded in the background
 * once older than `refreshMs` (so each request costs no query), loaded once up front on the first read.
 * Starts and stops made elsewhere are seen within `refreshMs`; `invalidate()` makes the next read reload
 * (the admin API calls it after its own changes). A failed reload keeps the previous copy and is logged:
 * an unreachable database never fails a recommendation.
 */
export class ActiveExperiments {
  private snapshot: Experiment[] | null = null;
  private loadedAt = 0;
  private loading: Promise<void> | null = null;
  /** Bumped by invalidate(): a reload begun before it must not install what it read. */
  private generation = 0;
  private readonly refreshMs: number;
  private readonly logger: ExperimentLogger;

  constructor(
    private readonly source: RunningExperimentSource,
    options: ActiveExperimentsOptions = {},
  ) {
    this.refreshMs = options.refreshMs ?? 5_000;
    this.logger = options.logger ?? silentLogger;
  }

  /** The experiment applying on `placement` at `now`, or null. */
  async forPlacement(placement: string, now: Date = new Date()): Promise<Experiment | null> {
    const experiments = await this.current();
    return experiments.find((e) => e.placement === placement && appliesAt(e, now)) ?? null;
  }

  /** The next read reloads (and waits for the reload). */
  invalidate(): void {
    this.generation += 1;
    this.snapshot = null;
    this.loading = null;
  }

  private async current(): Promise<Experiment[]> {
    if (this.snapshot === null) {
      await this.reload();
      return this.snapshot ?? [];
    }
    if (Date.now() - this.loadedAt > this.refreshMs) void this.reload();
    return this.snapshot;
  }

  private reload(): Promise<void> {
    if (this.loading !== null) return this.loading;
    const generation = this.generation;
    const loading = this.source
      .running()
      .then((experiments) => {
        if (generation !== this.generation) return;
        this.snapshot = experiments;
        this.loadedAt = Date.now();
      })
      .catch((error: unknown) => {
        if (generation !== this.generation) return;
        // Keep what we had; retry on a later read rather than on every request.
        this.snapshot ??= [];
        this.loadedAt = Date.now();
        this.logger.warn(
          { err: error instanceof Error ? error.message : String(error) },
          'could not load the running experiments; keeping the previous ones',
        );
      })
      .finally(() => {
        if (this.loading === loading) this.loading = null;
      });
    this.loading = loading;
    return loading;
  }
}
