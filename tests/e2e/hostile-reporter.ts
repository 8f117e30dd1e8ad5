import { relative } from 'node:path';
import type { FullResult, Reporter, TestCase, TestResult } from '@playwright/test/reporter';

/**
 * Counts the hostile-page cases: every test tagged `@hostile` (an attack on the extension by the page it runs
 * on) is one case, defended when it passed. Prints at the end of the run
 *
 *   hostile cases: 41, defended: 40
 *     not defended: tests/e2e/hostile-bar.spec.ts:89 › … (failed)
 *
 * docs/security.md lists the cases with their defences; this is the live count.
 */

const TAG = '@hostile';

export default class HostileReporter implements Reporter {
  /** The last result of each hostile test (a retry replaces the earlier attempt). */
  private readonly results = new Map<TestCase, TestResult['status']>();

  printsToStdio(): boolean {
    return false;
  }

  onTestEnd(test: TestCase, result: TestResult): void {
    if (test.tags.includes(TAG)) this.results.set(test, result.status);
  }

  onEnd(_result: FullResult): void {
    if (this.results.size === 0) return;
    const cases = [...this.results];
    // Defended: passed (a test marked as expected to fail, or skipped, is not a defence).
    const isDefended = (test: TestCase, status: TestResult['status']) => status === 'passed' && test.expectedStatus === 'passed';
    const defended = cases.filter(([test, status]) => isDefended(test, status)).length;
    const lines = [`hostile cases: ${cases.length}, defended: ${defended}`];
    for (const [test, status] of cases) {
      if (isDefended(test, status)) continue;
      const where = `${relative(process.cwd(), test.location.file)}:${test.location.line}`;
      lines.push(`  not defended: ${where} › ${test.titlePath().slice(3).join(' › ')} (${status})`);
    }
    process.stdout.write(`\n${lines.join('\n')}\n`);
  }
}
