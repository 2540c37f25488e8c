import { Command, Option } from 'commander';
import { Redis } from 'ioredis';
import { createPrismaClient, databaseUrl } from '@recsys/db';
import {
  createArtifactStore,
  isModelStageName,
  isRegistryError,
  ModelRegistry,
  MODEL_STAGES,
  promoteVersion,
  promotionGateConfig,
  PromotionGateError,
  PromotionGateErrorCode,
  RegistryErrorCode,
  userRole,
  type ModelVersionRecord,
} from '@recsys/registry';
import { CliError, ExitCode } from '../cli-error';
import type { CliContext } from '../context';
import { positiveInt, jsonObjectOption } from '../options';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadDataset, trainAndRegister } from '@recsys/training';
import { createProgress } from '../ui/progress';
import { queueSettings } from './jobs';

/**
 * Opens the registry of DATABASE_URL (announcing stage changes on REDIS_URL, so serving swaps models),
 * runs `work`, and closes both.
 */
async function withRegistry<T>(
  work: (registry: ModelRegistry, prisma: ReturnType<typeof createPrismaClient>) => Promise<T>,
): Promise<T> {
  const prisma = createPrismaClient(databaseUrl(process.env));
  const redis = new Redis(queueSettings().redisUrl, { maxRetriesPerRequest: 1, lazyConnect: true });
  redis.on('error', () => undefined);
  const registry = new ModelRegistry({ prisma, store: createArtifactStore(process.env), redis });
  try {
    return await work(registry, prisma);
  } catch (error) {
    throw registryError(error);
  } finally {
    await prisma.$disconnect();
    redis.disconnect();
  }
}

/** Registry and gate errors as the CLI's exit codes. */
function registryError(error: unknown): unknown {
  if (error instanceof PromotionGateError) {
    return new CliError(
      error.message,
      error.code === PromotionGateErrorCode.PROMOTION_REFUSED ? ExitCode.INVALID_INPUT : ExitCode.USAGE,
    );
  }
  if (
    isRegistryError(error, RegistryErrorCode.VERSION_NOT_FOUND) ||
    isRegistryError(error, RegistryErrorCode.NO_ROLLBACK_TARGET)
  ) {
    return new CliError(error.message, ExitCode.NOT_FOUND);
  }
  if (isRegistryError(error, RegistryErrorCode.INVALID_STAGE_CHANGE)) return new CliError(error.message);
  return error;
}

function formatMetrics(metrics: Record<string, number>, keys: readonly string[]): string {
  return keys
    .filter((k) => metrics[k] !== undefined)
    .map((k) => `${k} ${metrics[k].toFixed(4)}`)
    .join(', ');
}

function formatVersion(v: ModelVersionRecord): string {
  const stage = v.stage === 'CANARY' ? `CANARY ${v.canaryPercent ?? 0}%` : v.stage;
  return [
    v.id,
    `${v.modelType}@${v.version}`.padEnd(18),
    v.placement.padEnd(12),
    stage.padEnd(11),
    `${v.datasetId}/${v.protocol ?? '-'}`.padEnd(22),
    formatMetrics(v.metrics, ['ndcg@10', 'recall@10', 'hit@10', 'rmse']),
  ].join('  ');
}

interface PromoteOptions {
  actor: string;
  stage: string;
  canaryPercent?: number;
  reason?: string;
  force?: boolean;
  json?: boolean;
}

/** `recsys models ...`: list versions, promote through the gate, roll back, read the audit log. */
export function modelsCommand(ctx: CliContext): Command {
  const models = new Command('models').description(
    'Model versions: list, promote (through the gates), roll back, history',
  );

  models
    .command('list')
    .description('List registered model versions, newest first')
    .option('--placement <name>', 'only this placement')
    .option('--model <type>', 'only this model type')
    .addOption(new Option('--stage <stage>', 'only this stage').choices([...MODEL_STAGES]))
    .option('--json', 'print one JSON object per version')
    .action(async (opts: { placement?: string; model?: string; stage?: string; json?: boolean }) => {
      const stage = opts.stage !== undefined && isModelStageName(opts.stage) ? opts.stage : undefined;
      const versions = await withRegistry((registry) =>
        registry.list({ placement: opts.placement, modelType: opts.model, stage }),
      );
      if (opts.json) {
        for (const v of versions) ctx.out(JSON.stringify(v));
        return;
      }
      if (versions.length === 0) {
        ctx.out('no model versions: train one with `recsys train --model als --dataset <id>`');
        return;
      }
      for (const v of versions) ctx.out(formatVersion(v));
    });

  models
    .command('promote')
    .description(
      'Promote a version. PRODUCTION and CANARY must beat the production version on the placement gate (RECSYS_PROMOTION_GATES; default ndcg@10 by 1%, same protocol and dataset); an ADMIN may --force with a --reason',
    )
    .argument('<versionId>', 'the version (see `recsys models list`)')
    .requiredOption('--actor <name>', 'who promotes (a marketplace user id; ADMIN role needed to force)')
    .addOption(
      new Option('--stage <stage>', 'target stage')
        .choices(['production', 'canary', 'shadow'])
        .default('production'),
    )
    .option('--canary-percent <n>', 'CANARY: share of traffic, 1-100', positiveInt('--canary-percent'))
    .option('--reason <text>', 'why (kept in the audit log; required with --force)')
    .option('--force', 'promote past a refusing gate (ADMIN only; audited as forced)')
    .option('--json', 'print the promoted version as JSON')
    .action(async (versionId: string, opts: PromoteOptions) => {
      const stage = opts.stage.toUpperCase();
      if (stage !== 'PRODUCTION' && stage !== 'CANARY' && stage !== 'SHADOW')
        throw new CliError(`unknown stage ${opts.stage}`);
      const config = (() => {
        try {
          return promotionGateConfig(process.env);
        } catch (error) {
          throw new CliError((error as Error).message);
        }
      })();
      const result = await withRegistry(async (registry, prisma) => {
        const adminDataset = process.env.RECSYS_ADMIN_DATASET || 'marketplace';
        const actorRole = opts.force ? await userRole(prisma, adminDataset, opts.actor) : null;
        return promoteVersion(registry, versionId, {
          stage,
          canaryPercent: opts.canaryPercent,
          actor: opts.actor,
          reason: opts.reason,
          force: opts.force,
          actorRole,
          config,
        });
      });
      if (opts.json) {
        ctx.out(JSON.stringify({ ...result.version, forced: result.forced, gate: result.decision }));
        return;
      }
      const v = result.version;
      ctx.out(
        `${v.modelType}@${v.version} is now ${v.stage} on "${v.placement}"${result.forced ? ' (FORCED past the gate)' : ''}`,
      );
      if (result.decision) ctx.out(`gate: ${result.decision.reason}`);
    });

  models
    .command('bootstrap')
    .description(
      'Make sure a placement has a production model: when it has none, train one in this process on a dataset in PostgreSQL, register it and promote it (the main job uses this; routine training goes through the worker)',
    )
    .requiredOption('--dataset <id>', 'dataset (namespace) in PostgreSQL to train on')
    .option('--model <name>', 'model type', 'als')
    .option('--placement <name>', 'placement', 'home')
    .option('--params <json>', 'model parameters as JSON')
    .action(async (opts: { dataset: string; model: string; placement: string; params?: string }) => {
      const params = jsonObjectOption('--params', opts.params);
      const record = await withRegistry(async (registry) => {
        const current = await registry.production(opts.placement);
        if (current) {
          ctx.out(`"${opts.placement}" already serves ${current.modelType}@${current.version}`);
          return null;
        }
        const progress = createProgress(ctx.stderr);
        const dataset = await loadDataset(`db:${opts.dataset}`, { pool: () => ctx.pool() });
        const workDir = await mkdtemp(path.join(os.tmpdir(), 'recsys-bootstrap-'));
        try {
          const candidate = await trainAndRegister({
            dataset,
            datasetId: opts.dataset,
            modelType: opts.model,
            params,
            placement: opts.placement,
            registry,
            workDir,
            actor: 'bootstrap',
            onProgress: (p) => {
              progress.stage(p.phase, 100);
              const fraction =
                p.phase === 'fit'
                  ? p.fit.fraction
                  : p.phase === 'evaluate'
                    ? (p.evaluation.fit?.fraction ?? 0)
                    : 1;
              progress.update(Math.round(100 * fraction));
            },
          });
          progress.stop();
          // The first production version of a placement: nothing to beat, so the gate passes.
          return (
            await promoteVersion(registry, candidate.id, {
              stage: 'PRODUCTION',
              actor: 'bootstrap',
              reason: 'bootstrap: placement had no production model',
            })
          ).version;
        } finally {
          progress.stop();
          await rm(workDir, { recursive: true, force: true });
        }
      });
      if (record)
        ctx.out(
          `${formatVersion(record)}\n"${opts.placement}" now serves ${record.modelType}@${record.version}`,
        );
    });

  models
    .command('rollback')
    .description("Put the placement's previous production version back (the current one is archived)")
    .argument('<placement>', 'the placement (home, search, service_page...)')
    .requiredOption('--actor <name>', 'who rolls back')
    .option('--reason <text>', 'why (kept in the audit log)')
    .action(async (placement: string, opts: { actor: string; reason?: string }) => {
      const v = await withRegistry((registry) => registry.rollback(placement, opts.actor, opts.reason));
      ctx.out(`rolled back "${placement}" to ${v.modelType}@${v.version} (${v.id})`);
    });

  models
    .command('history')
    .description("The placement's audit log: every stage change, oldest first")
    .argument('<placement>', 'the placement')
    .option('--json', 'print one JSON object per change')
    .action(async (placement: string, opts: { json?: boolean }) => {
      const { rows, versions } = await withRegistry(async (registry) => {
        const changes = await registry.history({ placement });
        const byId = new Map((await registry.list({ placement })).map((v) => [v.id, v]));
        return { rows: changes, versions: byId };
      });
      if (opts.json) {
        for (const r of rows) ctx.out(JSON.stringify(r));
        return;
      }
      if (rows.length === 0) {
        ctx.out(`no history for placement "${placement}"`);
        return;
      }
      for (const r of rows) {
        const v = versions.get(r.versionId);
        const label = v ? `${v.modelType}@${v.version}` : r.versionId;
        const move = `${r.fromStage ?? '(new)'} → ${r.toStage}`;
        ctx.out(
          `${r.occurredAt.toISOString()}  ${label.padEnd(16)} ${move.padEnd(24)} by ${r.actor}${r.forced ? '  FORCED' : ''}${r.reason ? `  ${r.reason}` : ''}`,
        );
      }
    });

  return models;
}
