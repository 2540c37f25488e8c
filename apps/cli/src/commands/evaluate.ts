import { fork } from 'node:child_process';
import { Command, InvalidArgumentError, Option } from 'commander';
import { ImportValidationError } from '@recsys/db';
import { createModel, isModelName, MODEL_NAMES, ModelError, ModelErrorCode } from '@recsys/models';
import {
  DEFAULT_PROTOCOL_OPTIONS,
  evaluateModel,
  isModelGroup,
  isProtocolName,
  MODEL_GROUPS,
  modelsOfGroup,
  loadDataset,
  loadPredefinedPair,
  movieLens100kFolds,
  PROTOCOL_NAMES,
  supportsProtocol,
  unsupportedProtocolMessage,
  type EvaluationResult,
  type PredefinedFolds,
  type ProtocolName,
  type ProtocolOptions,
} from '@recsys/training';
import type { InteractionDataset } from '@recsys/data';
import { CliError, ExitCode } from '../cli-error';
import type { CliContext } from '../context';
import { integer, positiveInt, jsonObjectOption } from '../options';
import { createProgress } from '../ui/progress';
import { formatEvaluationTable } from '../ui/evaluation-table';
import { sourceError } from './data';

interface EvaluateOptions {
  dataset?: string;
  model: string;
  protocol: string;
  k: number;
  params?: string;
  seed: number;
  json?: boolean;
  train?: string;
  test?: string;
  negatives: number;
  holdoutFraction: number;
  temporalFraction: number;
  folds: number;
  inProcess?: boolean;
}

function fraction(name: string): (value: string) => number {
  return (value: string) => {
    const f = Number(value);
    if (!(f > 0 && f < 1))
      throw new InvalidArgumentError(`${name} must be a number between 0 and 1, got "${value}"`);
    return f;
  };
}

/** Parses --params: an object of parameters, or with a group (--model all) an object keyed by model name. */
function parseParamsOption(
  text: string | undefined,
  models: string[],
  group: string | null,
): Map<string, unknown> {
  const byModel = new Map<string, unknown>();
  const parsed = jsonObjectOption('--params', text);
  if (parsed === undefined) return byModel;
  if (group === null) {
    byModel.set(models[0], parsed);
  } else {
    for (const [name, value] of Object.entries(parsed)) {
      if (!isModelName(name)) {
        throw new CliError(
          `--params with --model ${group} is keyed by model name; "${name}" is not a model (known: ${MODEL_NAMES.join(', ')})`,
        );
      }
      byModel.set(name, value);
    }
  }
  // Validate every model's params before any data is loaded.
  for (const [name, value] of byModel) {
    try {
      createModel(name).parseParams(value);
    } catch (error) {
      if (error instanceof ModelError && error.code === ModelErrorCode.INVALID_PARAMS)
        throw new CliError(error.message);
      throw error;
    }
  }
  return byModel;
}

/** `recsys evaluate`: models × one protocol on one dataset, as a table or JSON lines. */
export function evaluateCommand(ctx: CliContext): Command {
  return new Command('evaluate')
    .description(
      'Evaluate models on a dataset under a documented protocol (see README: Evaluation protocols)',
    )
    .option('--dataset <spec>', 'ml-100k | ml-latest-small | synthetic | file:PATH | db:DATASET_ID')
    .requiredOption(
      '--model <name>',
      `a model (${MODEL_NAMES.join(', ')}), or a group: "all" (the classical models), "deep" ` +
        '(the TensorFlow.js models: minutes each on a CPU), "everything"',
    )
    .requiredOption('--protocol <name>', PROTOCOL_NAMES.join(' | '))
    .option('--k <n>', 'cutoff of the ranking metrics', positiveInt('--k'), DEFAULT_PROTOCOL_OPTIONS.k)
    .option(
      '--params <json>',
      'model parameters as JSON (with a group such as --model all: {"model": {...}})',
    )
    .option(
      '--seed <n>',
      'seed of splits, samplers and models',
      integer('--seed'),
      DEFAULT_PROTOCOL_OPTIONS.seed,
    )
    .option('--json', 'print one JSON object per model')
    .option('--train <path>', 'predefined: training interactions (generic CSV)')
    .option('--test <path>', 'predefined: test interactions (generic CSV)')
    .option(
      '--negatives <n>',
      'loo-sampled: sampled negatives',
      positiveInt('--negatives'),
      DEFAULT_PROTOCOL_OPTIONS.sampledNegatives,
    )
    .option(
      '--holdout-fraction <f>',
      'holdout: test share per user',
      fraction('--holdout-fraction'),
      DEFAULT_PROTOCOL_OPTIONS.holdoutTestFraction,
    )
    .option(
      '--temporal-fraction <f>',
      'temporal: test share of events',
      fraction('--temporal-fraction'),
      DEFAULT_PROTOCOL_OPTIONS.temporalTestFraction,
    )
    .option(
      '--folds <n>',
      'cv5 on datasets without canonical folds',
      positiveInt('--folds'),
      DEFAULT_PROTOCOL_OPTIONS.folds,
    )
    .addOption(
      new Option('--in-process', 'evaluate every model in this process (peak RSS is then shared)').hideHelp(),
    )
    .action(async (opts: EvaluateOptions) => {
      if (!isProtocolName(opts.protocol)) {
        throw new CliError(`unknown protocol "${opts.protocol}" (known: ${PROTOCOL_NAMES.join(', ')})`);
      }
      const protocol: ProtocolName = opts.protocol;
      const group = isModelGroup(opts.model) ? opts.model : null;
      if (group === null && !isModelName(opts.model)) {
        throw new CliError(
          `unknown model "${opts.model}" (known: ${MODEL_NAMES.join(', ')}, or ${MODEL_GROUPS.join(', ')})`,
        );
      }
      if (protocol === 'predefined' && (!opts.train || !opts.test)) {
        throw new CliError('the predefined protocol needs --train PATH and --test PATH');
      }
      if (protocol !== 'predefined' && !opts.dataset) throw new CliError('--dataset is required');
      const candidates = group === null ? [opts.model] : modelsOfGroup(group);
      const params = parseParamsOption(opts.params, candidates, group);
      const models = candidates.filter((name) => {
        const ok = supportsProtocol(createModel(name), protocol);
        if (!ok && group === null) throw new CliError(unsupportedProtocolMessage(name, protocol));
        return ok;
      });
      const options: ProtocolOptions = {
        k: opts.k,
        seed: opts.seed,
        holdoutTestFraction: opts.holdoutFraction,
        temporalTestFraction: opts.temporalFraction,
        sampledNegatives: opts.negatives,
        folds: opts.folds,
      };

      const results: EvaluationResult[] = [];
      const script = process.argv[1] ?? '';
      if (group !== null && !opts.inProcess && script.endsWith('.js')) {
        // One child process per model: its peak RSS and any crash are its own.
        for (const name of models) {
          const args = childArgs(opts, name, params.get(name));
          const result = await runChild(script, args, ctx);
          results.push(result);
          if (opts.json) ctx.out(JSON.stringify(result));
        }
      } else {
        const { dataset, predefined } = await loadEvaluationData(opts, protocol, ctx);
        const progress = createProgress(ctx.stderr);
        for (const name of models) {
          const result = await evaluateModel(dataset, () => createModel(name), {
            protocol,
            options,
            params: params.get(name),
            predefined,
            onProgress: (p) => {
              progress.stage(`${name} ${p.fold}`, 100);
              progress.update(Math.round(100 * (p.stage === 'score' ? 1 : (p.fit?.fraction ?? 0))));
            },
          });
          progress.stop();
          results.push(result);
          if (opts.json) ctx.out(JSON.stringify(result));
        }
      }
      if (!opts.json) ctx.out(formatEvaluationTable(results));
    });
}

async function loadEvaluationData(
  opts: EvaluateOptions,
  protocol: ProtocolName,
  ctx: CliContext,
): Promise<{ dataset: InteractionDataset; predefined?: PredefinedFolds }> {
  try {
    if (protocol === 'predefined') {
      const { dataset, folds } = await loadPredefinedPair(opts.train ?? '', opts.test ?? '');
      return { dataset, predefined: folds };
    }
    const spec = opts.dataset ?? '';
    const dataset = await loadDataset(spec, { pool: () => ctx.pool() });
    // ML-100K's cv5 uses GroupLens's own five folds, the splits published results use.
    const predefined =
      protocol === 'cv5' && spec === 'ml-100k' ? await movieLens100kFolds(dataset) : undefined;
    return { dataset, predefined };
  } catch (error) {
    if (error instanceof ImportValidationError) throw new CliError(error.message, ExitCode.INVALID_INPUT);
    throw sourceError(error);
  }
}

function childArgs(opts: EvaluateOptions, model: string, params: unknown): string[] {
  const args = [
    'evaluate',
    '--model',
    model,
    '--protocol',
    opts.protocol,
    '--json',
    '--k',
    String(opts.k),
    '--seed',
    String(opts.seed),
  ];
  if (opts.dataset) args.push('--dataset', opts.dataset);
  if (opts.train) args.push('--train', opts.train);
  if (opts.test) args.push('--test', opts.test);
  if (params !== undefined) args.push('--params', JSON.stringify(params));
  args.push('--negatives', String(opts.negatives), '--holdout-fraction', String(opts.holdoutFraction));
  args.push('--temporal-fraction', String(opts.temporalFraction), '--folds', String(opts.folds));
  return args;
}

function runChild(script: string, args: string[], ctx: CliContext): Promise<EvaluationResult> {
  return new Promise((resolve, reject) => {
    const child = fork(script, args, { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
    let stdout = '';
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) {
        reject(
          new CliError(
            `evaluating ${args[2]} failed (exit ${code})`,
            code === ExitCode.INVALID_INPUT ? ExitCode.INVALID_INPUT : ExitCode.FAILURE,
          ),
        );
        return;
      }
      try {
        resolve(JSON.parse(stdout.trim().split('\n').pop() ?? '') as EvaluationResult);
      } catch {
        ctx.err(stdout);
        reject(new CliError(`evaluating ${args[2]} printed no result`, ExitCode.FAILURE));
      }
    });
  });
}
