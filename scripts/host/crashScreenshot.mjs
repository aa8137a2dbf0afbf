// Shows a configured server that crashes on start the way a person meets it: the workspace's
// settings name it, VS Code asks to approve its command line (clicked here), Warden starts it, it
// exits at once, Warden restarts it with backoff until it gives up, and the Servers & Tools view
// shows the server in error with the reason in its tooltip.
import { mkdirSync, readFileSync, existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from './install.mjs';
import { clearHover, pageSteps } from './pageSteps.mjs';
import { workbenchUrl } from './workbench.mjs';

export const CRASHING_SERVER_ID = 'crashing-server';
const FIXTURE = path.join(projectRoot, 'out', 'test', 'fixtures', 'servers', 'misbehaving.js');
const ALLOW_BUTTON = 'Allow and Start';
const VIEW_NAME = 'Servers & Tools';

/**
 * Adds to the workspace's .vscode/settings.json a server whose process writes to stderr and exits
 * with code 1 before it reads anything. Run with the Node running this script.
 */
export function configureCrashingServer(folder) {
  if (!existsSync(FIXTURE)) throw new Error(`The fixture server ${FIXTURE} is missing. Build first: node scripts/build.mjs`);
  const file = path.join(folder, '.vscode', 'settings.json');
  const settings = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
  settings['warden.servers'] = {
    ...settings['warden.servers'],
    [CRASHING_SERVER_ID]: { command: process.execPath, args: [FIXTURE, '--exit-on-start', '1'] },
  };
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(settings, null, 2)}\n`);
}

/** Resolves with the screenshot's path; rejects naming the step that failed. */
export async function screenshotCrashingServer({ newPage, origin, folder, extensionDevelopmentPath, file, deadlineMs }) {
  const page = await newPage();
  const step = pageSteps(page, file.replace(/\.png$/, '-failed.png'));
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    await page.goto(workbenchUrl(origin, { folder, extensionDevelopmentPath }));

    const dialog = page.locator('.monaco-dialog-box').filter({ hasText: CRASHING_SERVER_ID });
    await step(`Waiting for the question whether to start "${CRASHING_SERVER_ID}"`, () => dialog.waitFor({ timeout: deadlineMs }));
    await step(`Clicking "${ALLOW_BUTTON}"`, async () => {
      await dialog.getByRole('button', { name: ALLOW_BUTTON }).click();
      await dialog.waitFor({ state: 'hidden', timeout: deadlineMs });
    });

    const editor = page.locator('.part.editor').first();
    await step('Opening the Warden view', async () => {
      await page.locator('.activitybar [aria-label^="Warden"]').first().click();
      await editor.hover();
    });
    const rows = page.locator(`.part.sidebar .monaco-list[aria-label*="${VIEW_NAME}"] .monaco-list-row`);
    await step(`Waiting for the built-in servers to run in "${VIEW_NAME}"`, () => rows.filter({ hasText: /running/ }).first().waitFor({ timeout: deadlineMs }));
    // The built-in servers' tools fill the view: fold them so that every server shows.
    await step(`Collapsing the tree with "Collapse All"`, async () => {
      await page.locator('.part.sidebar .pane-header', { hasText: VIEW_NAME }).hover();
      await page.locator('.part.sidebar .pane-header', { hasText: VIEW_NAME }).locator('[aria-label^="Collapse All"]').click();
      await rows.filter({ hasText: 'read_text' }).first().waitFor({ state: 'hidden', timeout: deadlineMs });
    });
    const crashed = rows.filter({ hasText: new RegExp(`${CRASHING_SERVER_ID}\\s*error`) }).first();
    // It crashes, is restarted after a backoff a few times, then Warden gives up: "error".
    await step(`Waiting for "${CRASHING_SERVER_ID}" to show "error" in "${VIEW_NAME}"`, () => crashed.waitFor({ timeout: deadlineMs }));
    await step('Checking the built-in servers still run beside it', () => rows.filter({ hasText: /running/ }).nth(2).waitFor({ timeout: deadlineMs }));

    const tooltip = page.locator('.workbench-hover-container, .monaco-hover:not(.hidden)').filter({ hasText: /crashed \d+ times/ }).first();
    await step('Showing the reason in the row\'s tooltip', async () => {
      await clearHover(page);
      await crashed.hover();
      await tooltip.waitFor({ timeout: deadlineMs });
    });
    await page.screenshot({ path: file });
    return file;
  } finally {
    await page.context().close();
  }
}
