import { Command } from 'commander';
import { countDataset, deleteDataset, ImportValidationError } from '@recsys/db';
import { DatasetSourceError, importSource, resolveSource } from '@recsys/data';
import { CliError, ExitCode } from '../cli-error';
import type { CliContext } from '../context';
import { datasetId, integer, positiveInt } from '../options';
import { createProgress } from '../ui/progress';

interface ImportOptions {
  datasetId?: string;
  seed: number;
  users?: number;
  services?: number;
  interactions?: number;
  json?: boolean;
}

/** A source that cannot be set up: a missing file is NOT_FOUND, an unknown spec or bad option a usage error. */
export function sourceError(error: unknown): unknown {
  if (error instanceof DatasetSourceError) {
    return new CliError(
      error.message,
      error.code === 'SOURCE_FILE_MISSING' ? ExitCode.NOT_FOUND : ExitCode.USAGE,
    );
  }
  return error;
}

/** `recsys data ...`: import, list, stats and delete datasets in PostgreSQL. */
export function dataCommand(ctx: CliContext): Command {
  const data = new Command('data').description('Import and inspect datasets in PostgreSQL');

  data
    .command('import')
    .description(
      'Import a dataset: ml-100k, ml-latest-small, synthetic, or file:PATH (generic CSV; items.csv and users.csv beside PATH are used when present)',
    )
    .argument('<source>', 'ml-100k | ml-latest-small | synthetic | file:PATH')
    .option('--dataset-id <id>', 'dataset (namespace) to import into; defaults to the source name', datasetId)
    .option('--seed <n>', 'synthetic: random seed', integer('--seed'), 42)
    .option('--users <n>', 'synthetic: number of users', positiveInt('--users'))
    .option('--services <n>', 'synthetic: number of services', positiveInt('--services'))
    .option('--interactions <n>', 'synthetic: number of interaction events', positiveInt('--interactions'))
    .option('--json', 'print the result as JSON')
    .action(async (spec: string, opts: ImportOptions) => {
      let source;
      try {
        source = resolveSource(spec, {
          datasetId: opts.datasetId,
          synthetic: {
            seed: opts.seed,
            users: opts.users,
            services: opts.services,
            interactions: opts.interactions,
          },
        });
      } catch (error) {
        throw sourceError(error);
      }
      const progress = createProgress(ctx.stderr);
      try {
        const result = await importSource(ctx.pool(), source, {
          datasetId: opts.datasetId,
          onProgress: (p) => {
            progress.stage(p.stage === 'merge' ? 'merging' : p.stage, 0);
            progress.update(p.rows);
          },
        });
        progress.stop();
        if (opts.json) {
          ctx.out(JSON.stringify(result));
        } else {
          ctx.out(
            `imported ${source.kind} into dataset "${result.datasetId}" in ${result.seconds.toFixed(2)} s`,
          );
          for (const stage of ['providers', 'users', 'services', 'interactions', 'tagAssignments'] as const) {
            const c = result[stage];
            if (c.read > 0) {
              ctx.out(`  ${stage.padEnd(15)} read ${c.read}, new ${c.inserted}, changed ${c.updated}`);
            }
          }
        }
      } catch (error) {
        progress.stop();
        if (error instanceof ImportValidationError) throw new CliError(error.message, ExitCode.INVALID_INPUT);
        throw error;
      }
    });

  data
    .command('list')
    .description('List the datasets with their row counts')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const res = await ctx
        .pool()
        .query<{ id: string; source: string; importedAt: Date | null }>(
          `SELECT "id", "source", "importedAt" FROM "Dataset" ORDER BY "id"`,
        );
      const rows = [];
      for (const d of res.rows) rows.push({ ...d, ...(await countDataset(ctx.pool(), d.id)) });
      if (opts.json) {
        ctx.out(JSON.stringify(rows));
        return;
      }
      if (rows.length === 0) {
        ctx.out('no datasets: import one with `recsys data import ml-100k`');
        return;
      }
      ctx.out(['dataset'.padEnd(20), 'source'.padEnd(24), 'users', 'services', 'interactions'].join('  '));
      for (const r of rows) {
        ctx.out(
          [
            r.id.padEnd(20),
            r.source.padEnd(24),
            String(r.users).padStart(5),
            String(r.services).padStart(8),
            String(r.interactions).padStart(12),
          ].join('  '),
        );
      }
    });

  data
    .command('stats')
    .description('Row counts of one dataset')
    .argument('<dataset>', 'dataset id', datasetId)
    .action(async (id: string) => {
      const exists = await ctx.pool().query(`SELECT 1 FROM "Dataset" WHERE "id" = $1`, [id]);
      if (exists.rowCount === 0) throw new CliError(`dataset "${id}" does not exist`, ExitCode.NOT_FOUND);
      ctx.out(JSON.stringify({ dataset: id, ...(await countDataset(ctx.pool(), id)) }));
    });

  data
    .command('delete')
    .description('Delete a dataset and all its rows')
    .argument('<dataset>', 'dataset id', datasetId)
    .action(async (id: string) => {
      if (!(await deleteDataset(ctx.pool(), id)))
        throw new CliError(`dataset "${id}" does not exist`, ExitCode.NOT_FOUND);
      ctx.out(`deleted dataset "${id}"`);
    });

  return data;
}
