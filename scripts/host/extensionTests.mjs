// Runs the extension's host test suite inside the real workbench, the way `code
// --extensionTestsPath` does: the workbench loads the tests module in the extension host, forwards
// the console (mixed with its own log) through window.codeAutomationLog and reports the end through
// window.codeAutomationExit(code, logs). The tests module (test/host/index.ts) marks its console
// lines with OUTPUT_PREFIX and prints its counts after RESULT_PREFIX.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { format } from 'node:util';
import { workbenchUrl } from './workbench.mjs';

const OUTPUT_PREFIX = 'WARDEN-HOST-OUTPUT ';
const RESULT_PREFIX = 'WARDEN-HOST-RESULT ';
const WORKBENCH_TAIL_LINES = 40;
const verbose = Boolean(process.env.WARDEN_HOST_VERBOSE);

/** The text of one forwarded console call (its arguments, printf-style). */
function messageText(message) {
  if (Array.isArray(message)) return format(...message);
  return typeof message === 'string' ? message : JSON.stringify(message);
}

/** Saves the workbench's logs (a list of { relativePath, contents }) under logsDir. */
function saveLogs(logs, logsDir) {
  if (!Array.isArray(logs) || logs.length === 0) return;
  for (const { relativePath, contents } of logs) {
    const file = path.join(logsDir, relativePath);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, contents);
  }
  console.log(`VS Code's logs: ${logsDir}`);
}

/**
 * Opens the workbench with the tests and waits for their end, printing the tests' output as it
 * comes. Resolves { exitCode, result } where result is { passed, failed, pending } when the suite
 * printed its counts. Rejects when the page crashes or nothing ends before deadlineMs.
 */
export async function runExtensionTests({ newPage, origin, folder, extensionDevelopmentPath, extensionTestsPath, env, logsDir, deadlineMs }) {
  const page = await newPage();
  let result;
  const workbenchTail = [];
  let settle;
  const ended = new Promise((resolve, reject) => (settle = { resolve, reject }));

  await page.exposeFunction('codeAutomationLog', (level, message) => {
    const text = messageText(message);
    const at = text.indexOf(RESULT_PREFIX);
    if (at >= 0) {
      try {
        result = JSON.parse(text.slice(at + RESULT_PREFIX.length).split('\n')[0]);
      } catch (err) {
        console.error(`Could not read the test counts from "${text}": ${err.message}`);
      }
    } else if (text.startsWith(OUTPUT_PREFIX)) {
      console.log(text.slice(OUTPUT_PREFIX.length));
    } else {
      if (verbose) console.log(`[workbench ${level}] ${text}`);
      workbenchTail.push(`[${level}] ${text.length > 600 ? `${text.slice(0, 600)}…` : text}`);
      if (workbenchTail.length > WORKBENCH_TAIL_LINES) workbenchTail.shift();
    }
  });
  await page.exposeFunction('codeAutomationExit', (code, logs) => {
    saveLogs(logs, logsDir);
    settle.resolve(code);
  });
  page.on('crash', () => settle.reject(new Error('The browser tab running VS Code crashed.')));
  page.on('pageerror', (err) => {
    if (verbose) console.error(`[workbench page error] ${err.message}`);
  });

  const timer = setTimeout(
    () =>
      settle.reject(
        new Error(
          `The host tests did not finish within ${deadlineMs / 60000} minutes. A test may be hanging, ` +
            'or the workbench never loaded the tests (is code-server started with enable-smoke-test-driver?). ' +
            `The workbench's last messages:\n${workbenchTail.join('\n')}`,
        ),
      ),
    deadlineMs,
  );
  try {
    await page.goto(workbenchUrl(origin, { folder, extensionDevelopmentPath, extensionTestsPath, env }));
    const exitCode = await ended;
    if (!result && !verbose) {
      console.error(`The workbench's last messages (WARDEN_HOST_VERBOSE=1 shows them all):\n${workbenchTail.join('\n')}`);
    }
    return { exitCode, result };
  } finally {
    clearTimeout(timer);
    await page.context().close();
  }
}
