import type { RowSource } from './dataset-rows';

export interface ImportIssue {
  file: string;
  /** 1-based line number in `file`; 0 when the problem is not tied to one line. */
  line: number;
  message: string;
}

/**
 * Collects what is wrong with the rows of an import while they stream, so one pass can name every bad
 * row (up to `limit`) instead of stopping at the first. The writer rolls back when any was collected.
 */
export class ImportIssues {
  private readonly list: ImportIssue[] = [];
  private total = 0;

  constructor(readonly limit = 50) {}

  add(source: RowSource | undefined, message: string): void {
    this.total++;
    if (this.list.length < this.limit) {
      this.list.push({ file: source?.file ?? '(input)', line: source?.line ?? 0, message });
    }
  }

  get count(): number {
    return this.total;
  }

  get issues(): readonly ImportIssue[] {
    return this.list;
  }
}

export function formatImportIssue(issue: ImportIssue): string {
  return issue.line > 0 ? `${issue.file}:${issue.line}: ${issue.message}` : `${issue.file}: ${issue.message}`;
}

/** The import was rejected and rolled back: `issues` names the rows (file and line) and what was wrong. */
export class ImportValidationError extends Error {
  readonly code = 'IMPORT_INVALID_ROWS';

  constructor(
    readonly issues: readonly ImportIssue[],
    readonly total: number,
  ) {
    const shown = issues.map((i) => '  ' + formatImportIssue(i)).join('\n');
    const more = total > issues.length ? `\n  ... and ${total - issues.length} more` : '';
    super(`import rejected, nothing was written: ${total} bad row(s)\n${shown}${more}`);
    this.name = 'ImportValidationError';
  }
}
