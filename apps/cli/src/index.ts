export { createProgram, runCli } from './program';
export { createCliContext, type CliContext } from './context';
export { CliError, ExitCode } from './cli-error';
