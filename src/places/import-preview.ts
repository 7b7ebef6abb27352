import type { ImportCounts, ImportIssue } from './places.ts';

/**
 * What a web upload's dry run shows before the coordinator confirms (docs/decisions/0031): the counts,
 * the issues grouped by field with a few examples, the places outside, the merges. Pure.
 */

/** An import's counts (places.ts). */
export type PreviewCounts = ImportCounts;

/** What a preview reads of an import's report (a dry run's). */
interface DryRunReport extends PreviewCounts {
  importId: string | null;
  warnings: ImportIssue[];
  errors: ImportIssue[];
  outside: ImportIssue[];
  merges: ImportIssue[];
}

/** Examples kept per group of issues in a preview. */
const EXAMPLES = 3;

/** A group of issues on one field: how many, and the first few. */
export interface IssueGroup {
  field: string | null;
  count: number;
  examples: ImportIssue[];
}

/** What the dry run found, kept with the upload and shown before confirmation. */
export interface UploadPreview {
  counts: PreviewCounts;
  errors: IssueGroup[];
  warnings: IssueGroup[];
  outside: { count: number; examples: ImportIssue[] };
  merges: { count: number; examples: ImportIssue[] };
  /** Whole-file warnings (encoding, unknown columns, words without a value…): the first 20, and how many. */
  fileIssues: ImportIssue[];
  fileIssuesTotal?: number;
  /**
   * Whole-file warnings counted by the field they name (e.g. data·inclusion's services whose
   * `structure_id` is not in the structures file), all of them, not only the first 20.
   */
  fileFields?: { field: string; count: number }[];
  dryRunImportId: string | null;
}

/** Issues grouped by field, the largest group first, with a few examples each. */
export function groupIssues(issues: readonly ImportIssue[]): IssueGroup[] {
  const groups = new Map<string, IssueGroup>();
  for (const issue of issues) {
    const key = issue.field ?? '';
    let group = groups.get(key);
    if (!group) {
      group = { field: issue.field, count: 0, examples: [] };
      groups.set(key, group);
    }
    group.count++;
    if (group.examples.length < EXAMPLES) group.examples.push(issue);
  }
  return [...groups.values()].sort((a, b) => b.count - a.count);
}

/** The preview of a dry run's report, as the upload page shows it. */
export function previewOf(report: DryRunReport): UploadPreview {
  const { read, imported, updated, unchanged, merged, rejected, toReview, outsideSkipped, recognised } =
    report;
  const set = new Set<ImportIssue>([...report.outside, ...report.merges]);
  const fileIssues = report.warnings.filter((w) => w.row === null);
  const rowWarnings = report.warnings.filter((w) => w.row !== null && !set.has(w));
  return {
    counts: { read, imported, updated, unchanged, merged, rejected, toReview, outsideSkipped, recognised },
    errors: groupIssues(report.errors),
    warnings: groupIssues(rowWarnings),
    outside: { count: report.outside.length, examples: report.outside.slice(0, EXAMPLES * 2) },
    merges: { count: report.merges.length, examples: report.merges.slice(0, EXAMPLES * 2) },
    fileIssues: fileIssues.slice(0, 20),
    fileIssuesTotal: fileIssues.length,
    fileFields: groupIssues(fileIssues.filter((w) => w.field !== null)).map((g) => ({
      field: g.field ?? '',
      count: g.count,
    })),
    dryRunImportId: report.importId,
  };
}
