/**
 * What `web-ext lint` may say about the Firefox build. Errors never pass. Each warning that remains is one the
 * code cannot avoid and that cannot do harm here; docs/deployment.md ("Firefox build") explains each to a
 * reviewer. A new warning fails the check until it is fixed or explained there and here.
 */

export interface LintMessage {
  code: string;
  message: string;
  file?: string;
}

export interface LintReport {
  errors: LintMessage[];
  warnings: LintMessage[];
  notices: LintMessage[];
}

interface ExplainedWarning {
  code: string;
  /** The bundle the warning is in (hashed file names: matched by name before the hash). */
  file: RegExp;
  why: string;
}

export const EXPLAINED_WARNINGS: readonly ExplainedWarning[] = [
  {
    code: 'UNSAFE_VAR_ASSIGNMENT',
    file: /^assets\/jsxRuntime-[\w-]+\.js$/,
    why: "Preact's dangerouslySetInnerHTML path: the extension never passes it (lint forbids it in src/), so it never runs.",
  },
  {
    code: 'DANGEROUS_EVAL',
    file: /^assets\/schemas-[\w-]+\.js$/,
    why: "zod's check whether `new Function` is allowed: the extension pages' CSP forbids it, so zod uses its plain path.",
  },
];

export interface LintVerdict {
  ok: boolean;
  lines: string[];
}

export function judgeLint(report: LintReport): LintVerdict {
  const lines: string[] = [];
  for (const error of report.errors) lines.push(`error ${error.code} in ${error.file ?? 'the add-on'}: ${error.message}`);
  const unexplained = report.warnings.filter((warning) => !EXPLAINED_WARNINGS.some((known) => known.code === warning.code && known.file.test(warning.file ?? '')));
  for (const warning of unexplained) lines.push(`unexplained warning ${warning.code} in ${warning.file ?? 'the add-on'}: ${warning.message}`);
  return { ok: lines.length === 0, lines };
}
