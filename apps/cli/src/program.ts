import { Command, CommanderError } from 'commander';
import { CliError, ExitCode } from './cli-error';
import { dataCommand } from './commands/data';
import { evaluateCommand } from './commands/evaluate';
import { jobsCommand } from './commands/jobs';
import { modelsCommand } from './commands/models';
import { trainCommand } from './commands/train';
import { tuneCommand } from './commands/tune';
import type { CliContext } from './context';

/** The `recsys` command tree. Commands hold no logic of their own: they call the packages. */
export function createProgram(ctx: CliContext): Command {
  const program = new Command('recsys')
    .description('Operator CLI of the LLM-marketplace recommendation platform')
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeOut: (s) => ctx.out(s.trimEnd()), writeErr: (s) => ctx.err(s.trimEnd()) });
  program.addCommand(dataCommand(ctx));
  program.addCommand(evaluateCommand(ctx));
  program.addCommand(trainCommand(ctx));
  program.addCommand(tuneCommand(ctx));
  program.addCommand(modelsCommand(ctx));
  program.addCommand(jobsCommand(ctx));
  // addCommand does not pass settings down: every command reports through ctx and returns instead of exiting.
  const configure = (command: Command): void => {
    command
      .exitOverride()
      .showHelpAfterError()
      .configureOutput({ writeOut: (s) => ctx.out(s.trimEnd()), writeErr: (s) => ctx.err(s.trimEnd()) });
    command.commands.forEach(configure);
  };
  program.commands.forEach(configure);
  return program;
}

/**
 * Runs the CLI and returns its exit code instead of calling process.exit, so tests can drive it:
 * usage errors exit 2, rejected data 3, missing things 4, anything unexpected 1 (with the stack
 * when RECSYS_DEBUG is set).
 */
export async function runCli(argv: readonly string[], ctx: CliContext): Promise<number> {
  try {
    await createProgram(ctx).parseAsync(argv, { from: 'user' });
    return ExitCode.OK;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version arrive here as "errors" with exit code 0.
      return error.exitCode === 0 ? ExitCode.OK : ExitCode.USAGE;
    }
    if (error instanceof CliError) {
      ctx.err(`error: ${error.message}`);
      return error.exitCode;
    }
    ctx.err(`error: ${(error as Error).message ?? String(error)}`);
    if (process.env.RECSYS_DEBUG) ctx.err((error as Error).stack ?? '');
    return ExitCode.FAILURE;
  } finally {
    await ctx.close();
  }
}
