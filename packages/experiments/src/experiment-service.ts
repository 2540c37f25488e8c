import type { PrismaClient } from '@recsys/db';
import { assignVariant } from './assignment/assign-variant';
import type { Assignment, Experiment, ExperimentResults, ExperimentStatus, ExposureInput } from './contract';
import {
  ExposureLogger,
  type ExposureLoggerOptions,
  type ExposureLoggerStats,
} from './exposures/exposure-logger';
import { prismaExposureSink } from './exposures/exposure-sink';
import { silentLogger, type ExperimentLogger } from './logger';
import { experimentResults } from './results/experiment-results';
import { ActiveExperiments } from './serving/active-experiments';
import { ExperimentStore } from './store/experiment-store';

export interface ExperimentServiceOptions {
  prisma: PrismaClient;
  /** The dataset served: exposures are logged under it and judged on its interactions. */
  datasetId: string;
  /** Serving policies variants may name. @defaultValue DEFAULT_POLICIES */
  policies?: readonly string[];
  /** How stale the request path's copy of the running experiments may grow. @defaultValue 5000 */
  refreshMs?: number;
  /** Batching of the exposure log. */
  exposures?: Omit<ExposureLoggerOptions, 'logger'>;
  /** τ of the sequential test. @defaultValue DEFAULT_MIXING_SD */
  mixingSd?: number;
  logger?: ExperimentLogger;
}

/**
 * A/B experiments for one serving process: the admin operations (create, start, stop, read, results),
 * the request path's assignment (running experiments cached in memory, MurmurHash3 buckets) and the
 * exposure log. `close()` waits for background scoring and writes every exposure still in memory.
 */
export class ExperimentService {
  readonly store: ExperimentStore;
  private readonly prisma: PrismaClient;
  private readonly active: ActiveExperiments;
  private readonly exposures: ExposureLogger;
  private readonly pending = new Set<Promise<void>>();
  private readonly logger: ExperimentLogger;
  private readonly mixingSd: number | undefined;

  constructor(options: ExperimentServiceOptions) {
    this.prisma = options.prisma;
    this.logger = options.logger ?? silentLogger;
    this.mixingSd = options.mixingSd;
    this.store = new ExperimentStore({
      prisma: options.prisma,
      ...(options.policies === undefined ? {} : { policies: options.policies }),
    });
    this.active = new ActiveExperiments(this.store, {
      logger: this.logger,
      ...(options.refreshMs === undefined ? {} : { refreshMs: options.refreshMs }),
    });
    this.exposures = new ExposureLogger(prismaExposureSink(options.prisma, options.datasetId), {
      ...options.exposures,
      logger: this.logger,
    });
  }

  create(definition: unknown, actor: string): Promise<Experiment> {
    return this.store.create(definition, actor);
  }

  async start(name: string, actor: string): Promise<Experiment> {
    const experiment = await this.store.start(name, actor);
    this.active.invalidate();
    return experiment;
  }

  async stop(name: string, actor: string): Promise<Experiment> {
    const experiment = await this.store.stop(name, actor);
    this.active.invalidate();
    return experiment;
  }

  get(name: string): Promise<Experiment | null> {
    return this.store.get(name);
  }

  list(status?: ExperimentStatus): Promise<Experiment[]> {
    return this.store.list(status);
  }

  results(experiment: Experiment): Promise<ExperimentResults> {
    return experimentResults(
      this.prisma,
      experiment,
      this.mixingSd === undefined ? {} : { mixingSd: this.mixingSd },
    );
  }

  /** The user's variant in the experiment running on `placement` now, or null when none applies. */
  async assign(placement: string, userId: string, now: Date = new Date()): Promise<Assignment | null> {
    const experiment = await this.active.forPlacement(placement, now);
    return experiment === null ? null : assignVariant(experiment, userId);
  }

  /** Queues an exposure for writing (never waits for the database). */
  logExposure(exposure: ExposureInput): void {
    this.exposures.log(exposure);
  }

  /**
   * Logs the exposure that background work (scoring a shadow variant) produces, if it produces one;
   * close() waits for it. A failure is logged, never thrown.
   */
  logWhenReady(work: Promise<ExposureInput | null>): void {
    const tracked: Promise<void> = work
      .then((exposure) => {
        if (exposure !== null) this.exposures.log(exposure);
      })
      .catch((error: unknown) => {
        this.logger.warn(
          { err: error instanceof Error ? error.message : String(error) },
          'background exposure not logged',
        );
      })
      .finally(() => this.pending.delete(tracked));
    this.pending.add(tracked);
  }

  exposureStats(): ExposureLoggerStats {
    return this.exposures.stats();
  }

  /** Waits for background scoring, then writes every queued exposure. Idempotent. */
  async close(): Promise<void> {
    await Promise.allSettled([...this.pending]);
    await this.exposures.close();
  }
}
