// Entry point that VS Code loads inside the extension host to run the host test suite
// (extensionTestsPath). Runs every out/test/host/suite/**/*.test.js with mocha and rejects when a
// test fails. The final counts are printed as one
// `WARDEN-HOST-RESULT {"passed":N,"failed":M,"pending":K}` line.
// In code-server the workbench forwards the extension host's console to the test runner mixed with
// its own log, so there (env WARDEN_HOST_MARK_OUTPUT=1) mocha's report lines are marked with
// OUTPUT_PREFIX.
import * as fs from 'fs';
import * as path from 'path';
import { format } from 'util';
import Mocha from 'mocha';

export const OUTPUT_PREFIX = 'WARDEN-HOST-OUTPUT ';
export const RESULT_PREFIX = 'WARDEN-HOST-RESULT ';

/** Marks mocha's report lines until the returned function is called. */
function markReport(): () => void {
  const reporterLog = Mocha.reporters.Base.consoleLog;
  // The extension host's console ignores reassignment; mocha's reporters log through this instead.
  Mocha.reporters.Base.consoleLog = (...args: unknown[]) => console.log(OUTPUT_PREFIX + format(...args));
  return () => {
    Mocha.reporters.Base.consoleLog = reporterLog;
  };
}

function testFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.test.js'))
    .sort()
    .map((name) => path.join(dir, name));
}

function reportCounts(passed: number, failed: number, pending: number): void {
  console.log(`${RESULT_PREFIX}${JSON.stringify({ passed, failed, pending })}`);
}

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60_000, reporter: 'spec' });
  const grep = process.env.WARDEN_TEST_GREP;
  if (grep) mocha.grep(grep);
  const suiteDir = path.join(__dirname, 'suite');
  const files = testFiles(suiteDir);
  if (files.length === 0) {
    reportCounts(0, 1, 0);
    return Promise.reject(new Error(`No *.test.js files in ${suiteDir}: build first (node scripts/build.mjs).`));
  }
  for (const file of files) mocha.addFile(file);

  const unmark = process.env.WARDEN_HOST_MARK_OUTPUT === '1' ? markReport() : () => undefined;
  return new Promise<void>((resolve, reject) => {
    try {
      const runner = mocha.run((failures) => {
        unmark();
        const stats = runner.stats;
        reportCounts(stats?.passes ?? 0, stats?.failures ?? failures, stats?.pending ?? 0);
        if (failures > 0) reject(new Error(`${failures} host test(s) failed.`));
        else resolve();
      });
    } catch (err) {
      unmark();
      console.error('The host test suite could not be loaded:', err);
      reportCounts(0, 1, 0);
      reject(err);
    }
  });
}
