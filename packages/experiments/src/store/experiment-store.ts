import { Prisma, type PrismaClient } from '@recsys/db';
import type { Experiment, ExperimentStatus } from '../contract';
import { validateDefinition } from '../definition/validate-definition';
import { ExperimentError, ExperimentErrorCode } from '../errors';
import { resolveModelVersion } from './model-versions';
import { toExperiment, WITH_VARIANTS, type ExperimentRow } from './records';

/** The policies a variant may name when no list is given: `production`, the placement's production model. */
export const DEFAULT_POLICIES: readonly string[] = ['production'];

export interface ExperimentStoreOptions {
  prisma: PrismaClient;
  /** Serving policies variants may name. @defaultValue DEFAULT_POLICIES */
  policies?: readonly string[];
  /** Longest a start or stop transaction may take (including the wait for the placement's lock). @defaultValue 15000 */
  transactionTimeoutMs?: number;
}

const STATUS_COLUMN: Record<ExperimentStatus, ExperimentRow['status']> = {
  draft: 'DRAFT',
  running: 'RUNNING',
  stopped: 'STOPPED',
};

/**
 * Serialises the starts and stops of one placement: a transaction-level PostgreSQL advisory lock, held
 * until the transaction ends, so two concurrent starts cannot both pass the overlap check. Raw SQL
 * because Prisma has no API for advisory locks.
 */
async function lockPlacement(tx: Prisma.TransactionClient, placement: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('recsys:experiment-placement'), hashtext(${placement}))`;
}

function notFound(name: string): ExperimentError {
  return new ExperimentError(
    ExperimentErrorCode.EXPERIMENT_NOT_FOUND,
    `no experiment named "${name}"`,
    'name',
  );
}

/**
 * Experiments in PostgreSQL (Prisma): created as DRAFT with every rule checked (validateDefinition plus
 * the registry's model versions and the known policies), started under the placement's advisory lock
 * (no other experiment may run on the placement over an overlapping period), stopped for good.
 * Definitions never change once created, so an assignment never changes during an experiment's life.
 */
export class ExperimentStore {
  private readonly prisma: PrismaClient;
  private readonly policies: ReadonlySet<string>;
  private readonly transactionTimeoutMs: number;

  constructor(options: ExperimentStoreOptions) {
    this.prisma = options.prisma;
    this.policies = new Set(options.policies ?? DEFAULT_POLICIES);
    this.transactionTimeoutMs = options.transactionTimeoutMs ?? 15_000;
  }

  /** Stores a new DRAFT experiment; `actor` is the admin creating it. */
  async create(input: unknown, actor: string, now: Date = new Date()): Promise<Experiment> {
    const definition = validateDefinition(input, now);
    const variants = [];
    for (const [i, variant] of definition.variants.entries()) {
      const at = `variants[${i}]`;
      if (variant.policy !== undefined && !this.policies.has(variant.policy)) {
        throw new ExperimentError(
          ExperimentErrorCode.UNKNOWN_POLICY,
          `unknown policy "${variant.policy}" (known: ${[...this.policies].join(', ')})`,
          `${at}.policy`,
        );
      }
      const modelVersionId =
        variant.modelVersion === undefined
          ? null
          : await resolveModelVersion(this.prisma, variant.modelVersion, `${at}.modelVersion`);
      variants.push({
        name: variant.name,
        position: i,
        share: variant.share,
        modelVersionId,
        policy: variant.policy ?? null,
        shadow: variant.shadow,
        canary: variant.canary,
      });
    }
    try {
      const row = await this.prisma.experiment.create({
        data: {
          name: definition.name,
          description: definition.description ?? null,
          placement: definition.placement,
          startAt: definition.startAt ?? null,
          endAt: definition.endAt ?? null,
          primaryMetric: definition.primaryMetric,
          guardrailMetrics: definition.guardrailMetrics,
          minSampleSize: definition.minSampleSize,
          alpha: definition.alpha,
          createdBy: actor,
          variants: { create: variants },
        },
        include: WITH_VARIANTS,
      });
      return toExperiment(row);
    } catch (error) {
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
        throw new ExperimentError(
          ExperimentErrorCode.EXPERIMENT_EXISTS,
          `an experiment named "${definition.name}" already exists`,
          'name',
        );
      }
      throw error;
    }
  }

  async get(name: string): Promise<Experiment | null> {
    const row = await this.prisma.experiment.findUnique({ where: { name }, include: WITH_VARIANTS });
    return row === null ? null : toExperiment(row);
  }

  /** Newest first; every status when none is given. */
  async list(status?: ExperimentStatus): Promise<Experiment[]> {
    const rows = await this.prisma.experiment.findMany({
      where: status === undefined ? {} : { status: STATUS_COLUMN[status] },
      include: WITH_VARIANTS,
      orderBy: [{ createdAt: 'desc' }, { name: 'asc' }],
    });
    return rows.map(toExperiment);
  }

  /** Every RUNNING experiment (including those whose period has not begun or has passed). */
  async running(): Promise<Experiment[]> {
    const rows = await this.prisma.experiment.findMany({
      where: { status: 'RUNNING' },
      include: WITH_VARIANTS,
    });
    return rows.map(toExperiment);
  }

  /**
   * DRAFT → RUNNING. Its start becomes its planned start, or now when that is absent or past. Refused
   * when another experiment runs on the placement over an overlapping period (OVERLAPPING_EXPERIMENT),
   * when a variant's model version has since been archived or removed, or when the end is not after the
   * start. The check and the change run under the placement's advisory lock.
   */
  async start(name: string, actor: string, now: Date = new Date()): Promise<Experiment> {
    return this.inPlacementTransaction(name, async (tx, row) => {
      if (row.status !== 'DRAFT') {
        throw new ExperimentError(
          ExperimentErrorCode.INVALID_STATUS_CHANGE,
          `experiment "${name}" is ${row.status.toLowerCase()}; only a draft can be started`,
          'name',
        );
      }
      for (const variant of row.variants) {
        if (variant.modelVersionId !== null)
          await resolveModelVersion(tx, variant.modelVersionId, `variants[${variant.position}].modelVersion`);
      }
      const startAt = row.startAt !== null && row.startAt.getTime() > now.getTime() ? row.startAt : now;
      if (row.endAt !== null && row.endAt.getTime() <= startAt.getTime()) {
        throw new ExperimentError(
          ExperimentErrorCode.INVALID_DATES,
          `experiment "${name}" ends at ${row.endAt.toISOString()}, not after its start ${startAt.toISOString()}`,
          'endAt',
        );
      }
      const overlapping = await tx.experiment.findFirst({
        where: {
          placement: row.placement,
          status: 'RUNNING',
          id: { not: row.id },
          AND: [
            { OR: [{ endAt: null }, { endAt: { gt: startAt } }] },
            ...(row.endAt === null ? [] : [{ startAt: { lt: row.endAt } }]),
          ],
        },
        select: { name: true, startAt: true, endAt: true },
      });
      if (overlapping !== null) {
        const until = overlapping.endAt === null ? 'with no end' : `until ${overlapping.endAt.toISOString()}`;
        throw new ExperimentError(
          ExperimentErrorCode.OVERLAPPING_EXPERIMENT,
          `experiment "${overlapping.name}" already runs on placement "${row.placement}" ${until}; ` +
            `stop it or give "${name}" a period that does not overlap`,
          'name',
        );
      }
      return tx.experiment.update({
        where: { id: row.id },
        data: { status: 'RUNNING', startAt, startedAt: now, startedBy: actor },
        include: WITH_VARIANTS,
      });
    });
  }

  /**
   * DRAFT or RUNNING → STOPPED, for good (a stopped experiment never restarts: its users' variants would
   * mean nothing across the gap). A running one ends now unless its end has already passed.
   */
  async stop(name: string, actor: string, now: Date = new Date()): Promise<Experiment> {
    return this.inPlacementTransaction(name, async (tx, row) => {
      if (row.status === 'STOPPED') {
        throw new ExperimentError(
          ExperimentErrorCode.INVALID_STATUS_CHANGE,
          `experiment "${name}" is already stopped`,
          'name',
        );
      }
      const endAt =
        row.status === 'RUNNING' && (row.endAt === null || row.endAt.getTime() > now.getTime())
          ? now
          : row.endAt;
      return tx.experiment.update({
        where: { id: row.id },
        data: { status: 'STOPPED', endAt, stoppedAt: now, stoppedBy: actor },
        include: WITH_VARIANTS,
      });
    });
  }

  /** Runs `work` on the experiment's current row inside a transaction holding its placement's lock. */
  private async inPlacementTransaction(
    name: string,
    work: (tx: Prisma.TransactionClient, row: ExperimentRow) => Promise<ExperimentRow>,
  ): Promise<Experiment> {
    const found = await this.prisma.experiment.findUnique({ where: { name }, select: { placement: true } });
    if (found === null) throw notFound(name);
    const row = await this.prisma.$transaction(
      async (tx) => {
        await lockPlacement(tx, found.placement);
        // Read again under the lock: a concurrent start or stop may have committed meanwhile.
        const current = await tx.experiment.findUnique({ where: { name }, include: WITH_VARIANTS });
        if (current === null) throw notFound(name);
        return work(tx, current);
      },
      { maxWait: this.transactionTimeoutMs, timeout: this.transactionTimeoutMs },
    );
    return toExperiment(row);
  }
}
