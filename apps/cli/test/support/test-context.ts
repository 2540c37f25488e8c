import type { Pool } from 'pg';
import type { CliContext } from '../../src';

export interface CapturedContext extends CliContext {
  stdout: string[];
  stderrLines: string[];
}

/** A CLI context that records what the commands print and uses the given database. */
export function testContext(pool: Pool): CapturedContext {
  const stdout: string[] = [];
  const stderrLines: string[] = [];
  return {
    stdout,
    stderrLines,
    out: (text) => stdout.push(text),
    err: (text) => stderrLines.push(text),
    pool: () => pool,
    close: async () => undefined,
    // Not a TTY: progress is printed as one line per stage.
    stderr: Object.assign(Object.create(process.stderr) as NodeJS.WriteStream, {
      isTTY: false,
      write: (chunk: string | Uint8Array) => {
        stderrLines.push(String(chunk));
        return true;
      },
    }),
  };
}
