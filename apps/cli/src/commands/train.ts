import { Command, Option } from 'commander';
import { MODEL_NAMES } from '@recsys/models';
import {
  DEFAULT_JOB_OPTIONS,
  DEFAULT_PROTOCOL_OPTIONS,
  JOB_PROTOCOLS,
  JobName,
  parsePayload,
  QueueName,
  type TrainingPayload,
} from '@recsys/training';
import type { CliContext } from '../context';
import { datasetId, integer, positiveInt, jsonObjectOption } from '../options';
import { enqueue, payloadError, withQueue } from './jobs';

interface TrainOptions {
  model: string;
  dataset: string;
  params?: string;
  protocol: string;
  k: number;
  seed: number;
  placement?: string;
  actor: string;
  gpu?: boolean;
  wait?: boolean;
  json?: boolean;
  cron?: string;
}

/**
 * `recsys train`: queues a training job for the worker (dataset from PostgreSQL, evaluated on the
 * protocol, registered as a CANDIDATE), or with --cron a repeatable one (one schedule per model,
 * dataset and placement; the same command again changes it).
 */
export function trainCommand(ctx: CliContext): Command {
  return new Command('train')
    .description(
      'Queue a training job: fit, evaluate and register a CANDIDATE model version (see apps/worker)',
    )
    .requiredOption('--model <name>', MODEL_NAMES.join(' | '))
    .requiredOption('--dataset <id>', 'a dataset imported into PostgreSQL', datasetId)
    .option('--params <json>', 'model parameters as JSON')
    .option(
      '--protocol <name>',
      `the protocol of the registered metrics: ${JOB_PROTOCOLS.join(' | ')}`,
      'holdout',
    )
    .option('--k <n>', 'cutoff of the ranking metrics', positiveInt('--k'), DEFAULT_PROTOCOL_OPTIONS.k)
    .option('--seed <n>', 'seed of the split', integer('--seed'), DEFAULT_PROTOCOL_OPTIONS.seed)
    .option('--placement <name>', 'where the version will serve (default home)')
    .option('--actor <name>', 'who asks (the registry records it)', process.env.USER || 'cli')
    .option('--gpu', 'queue it for GPU nodes (training-gpu)')
    .option('--wait', 'follow the job to its end, with a progress bar')
    .option('--json', 'print JSON')
    .addOption(
      new Option('--cron <pattern>', 'retrain on a schedule instead (cron, e.g. "0 3 * * *")').conflicts(
        'wait',
      ),
    )
    .action(async (opts: TrainOptions) => {
      let payload: TrainingPayload;
      try {
        payload = parsePayload(JobName.TRAIN, {
          modelType: opts.model,
          datasetId: opts.dataset,
          params: jsonObjectOption('--params', opts.params),
          protocol: opts.protocol,
          protocolOptions: { k: opts.k, seed: opts.seed },
          placement: opts.placement,
          actor: opts.actor,
        });
      } catch (error) {
        throw payloadError(error);
      }
      const queue = opts.gpu ? QueueName.TRAINING_GPU : QueueName.TRAINING;
      if (opts.cron !== undefined) {
        const pattern = opts.cron;
        const id = `train:${payload.modelType}:${payload.datasetId}:${payload.placement ?? 'home'}`;
        await withQueue(queue, (q) =>
          q.upsertJobScheduler(
            id,
            { pattern },
            { name: JobName.TRAIN, data: payload, opts: DEFAULT_JOB_OPTIONS },
          ),
        );
        ctx.out(
          opts.json
            ? JSON.stringify({ queue, schedule: id, pattern })
            : `scheduled "${id}" on ${queue}: ${pattern}`,
        );
        return;
      }
      await enqueue(ctx, queue, JobName.TRAIN, payload, { wait: opts.wait, json: opts.json });
    });
}
