import { SingleBar, Presets } from 'cli-progress';

export interface ProgressReporter {
  /** Starts (or restarts) a bar for a stage whose total may be unknown (0). */
  stage(name: string, total: number): void;
  update(value: number): void;
  stop(): void;
}

/**
 * A progress bar on a terminal (stderr, so stdout stays machine-readable); elsewhere (CI, pipes) one
 * line per stage, so logs are not flooded with redraws.
 */
export function createProgress(stream: NodeJS.WriteStream = process.stderr): ProgressReporter {
  if (!stream.isTTY) {
    let current = '';
    return {
      stage(name) {
        if (name !== current) stream.write(`${name}...\n`);
        current = name;
      },
      update() {},
      stop() {},
    };
  }
  let bar: SingleBar | null = null;
  let current = '';
  return {
    stage(name, total) {
      if (name === current && bar) return;
      bar?.stop();
      current = name;
      bar = new SingleBar(
        {
          stream,
          format:
            total > 0
              ? `${name.padEnd(16)} [{bar}] {percentage}% | {value}/{total} | {duration_formatted}`
              : `${name.padEnd(16)} {value} rows | {duration_formatted}`,
          hideCursor: true,
          clearOnComplete: false,
        },
        Presets.shades_classic,
      );
      bar.start(total, 0);
    },
    update(value) {
      bar?.update(value);
    },
    stop() {
      bar?.stop();
      bar = null;
      current = '';
    },
  };
}
