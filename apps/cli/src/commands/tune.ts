import { Command, Option } from 'commander';
import {
  DEFAULT_PROTOCOL_OPTIONS,
  JOB_PROTOCOLS,
  JobName,
  parsePayload,
  QueueName,
  TUNABLE_MODELS,
  type TunePayload,
} from '@recsys/training';
import type { CliContext } from '../context';
import { datasetId, integer, positiveInt, jsonObjectOption } from '../options';
import { enqueue, payloadError } from './jobs';

interface TuneOptions {
  model: string;
  dataset: string;
  trials: number;
  parallel: number;
  sampler: string;
  seed: number;
  metric: string;
  direction?: string;
  protocol: string;
  k: number;
  params?: string;
  space?: string;
  pruner: string;
  placement?: string;
  actor: string;
  wait?: boolean;
  json?: boolean;
}

/**
 * `recsys tune`: queues a hyper-parameter search. The worker that takes it proposes `--parallel`
 * trials at a time with the sampler, every worker runs them, and the best configuration is trained on
 * all the data and registered as a CANDIDATE.
 */
export function tuneCommand(ctx: CliContext): Command {
  return new Command('tune')
    .description('Queue a distributed hyper-parameter search; the best configuration is registered')
    .requiredOption('--model <name>', TUNABLE_MODELS.join(' | '))
    .requiredOption('--dataset <id>', 'a dataset imported into PostgreSQL', datasetId)
    .option('--trials <n>', 'the budget: trials in all', positiveInt('--trials'), 20)
    .option('--parallel <n>', 'trials proposed and run at once', positiveInt('--parallel'), 4)
    .addOption(
      new Option('--sampler <name>', 'how configurations are proposed')
        .choices(['tpe', 'random'])
        .default('tpe'),
    )
    .option('--seed <n>', 'seed of the sampler and of the split', integer('--seed'), 0)
    .option('--metric <key>', 'the objective, a metric key', 'ndcg@10')
    .addOption(
      new Option('--direction <d>', 'default: minimise rmse/mae, maximise the rest').choices([
        'maximize',
        'minimize',
      ]),
    )
    .option(
      '--protocol <name>',
      `the protocol the objective comes from: ${JOB_PROTOCOLS.join(' | ')}`,
      'holdout',
    )
    .option('--k <n>', 'cutoff of the ranking metrics', positiveInt('--k'), DEFAULT_PROTOCOL_OPTIONS.k)
    .option('--params <json>', 'parameters held fixed in every trial, as JSON')
    .option('--space <json>', "the search space as JSON (default: the model's, see SEARCH_SPACES)")
    .addOption(
      new Option('--pruner <name>', 'early stopping of trials that report per-epoch metrics')
        .choices(['median', 'none'])
        .default('median'),
    )
    .option('--placement <name>', 'where the best version will serve (default home)')
    .option('--actor <name>', 'who asks (the registry records it)', process.env.USER || 'cli')
    .option('--wait', 'follow the search to its end')
    .option('--json', 'print JSON')
    .action(async (opts: TuneOptions) => {
      let payload: TunePayload;
      try {
        payload = parsePayload(JobName.TUNE, {
          modelType: opts.model,
          datasetId: opts.dataset,
          trials: opts.trials,
          parallel: opts.parallel,
          sampler: { type: opts.sampler, seed: opts.seed },
          objective: { metric: opts.metric, direction: opts.direction },
          protocol: opts.protocol,
          protocolOptions: { k: opts.k, seed: opts.seed },
          pruner: { type: opts.pruner },
          space: jsonObjectOption('--space', opts.space),
          fixedParams: jsonObjectOption('--params', opts.params),
          placement: opts.placement,
          actor: opts.actor,
        });
      } catch (error) {
        throw payloadError(error);
      }
      await enqueue(ctx, QueueName.TUNING, JobName.TUNE, payload, { wait: opts.wait, json: opts.json });
    });
}
