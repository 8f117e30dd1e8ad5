/** The one part of web-ext's programmatic API used here (it ships no types). */
declare module 'web-ext' {
  import type { LintReport } from './firefox-lint-verdict';

  interface LintOptions {
    sourceDir: string;
    /** 'none' returns the report without printing it. */
    output: 'none' | 'json' | 'text';
    artifactsDir: string;
    ignoreFiles: string[];
  }

  const webExt: { cmd: { lint(options: LintOptions, run: { shouldExitProgram: boolean }): Promise<LintReport> } };
  export default webExt;
}
