// Takes a screenshot of the Warden sidebar as a person sees it: opens the workbench with the
// extension, clicks Warden in the activity bar and waits until the "Servers & Tools" view shows the
// built-in server running with its tools.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { workbenchUrl } from './workbench.mjs';

const ACTIVITY_ITEM = '.activitybar [aria-label^="Warden"]';
const VIEW_NAME = 'Servers & Tools';
const RUNNING_ROW = /running/i;
const TOOL_ROW = 'read_text';
const DATABASE_ROW = 'data/shop.sqlite';
const HOVER = '.workbench-hover-container, .monaco-hover:not(.hidden)';

/**
 * Resolves with the screenshot's path; rejects with a message naming what did not appear.
 * deadlineMs bounds each wait (the workbench loads and the server starts within it).
 */
export async function screenshotSidebar({ newPage, origin, folder, extensionDevelopmentPath, file, deadlineMs }) {
  const page = await newPage();
  const waitFor = async (what, locator, state = 'visible') => {
    try {
      await locator.waitFor({ state, timeout: deadlineMs });
    } catch (err) {
      const shot = file.replace(/\.png$/, '-failed.png');
      await page.screenshot({ path: shot });
      const outcome = state === 'hidden' ? 'was still shown after' : 'did not appear within';
      throw new Error(
        `${what} ${outcome} ${deadlineMs / 1000} s (${err.message.split('\n')[0]}). ` +
          `What the page showed instead: ${shot}`,
      );
    }
    return locator;
  };
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    await page.goto(workbenchUrl(origin, { folder, extensionDevelopmentPath }));

    const item = await waitFor(`The Warden item in the activity bar (${ACTIVITY_ITEM})`, page.locator(ACTIVITY_ITEM).first());
    // After each click the pointer moves to the editor, so that no tooltip covers the view.
    const editor = page.locator('.part.editor').first();
    await item.click();
    await editor.hover();

    const sidebar = page.locator('.part.sidebar');
    // A tree view's list is labelled with its view's name.
    const tree = sidebar.locator(`.monaco-list[aria-label*="${VIEW_NAME}"]`).first();
    await waitFor(`The "${VIEW_NAME}" view in the sidebar`, tree);
    const rows = tree.locator('.monaco-list-row');
    await waitFor(
      `A row for the built-in server in the running state (text matching ${RUNNING_ROW}) in "${VIEW_NAME}"`,
      rows.filter({ hasText: RUNNING_ROW }).first(),
    );
    // Open any server row that shows collapsed, one at a time, waiting for each to open.
    for (let opened = 0; opened < 10; opened++) {
      const collapsed = rows.filter({ hasText: RUNNING_ROW }).and(page.locator('[aria-expanded="false"]')).first();
      if ((await collapsed.count()) === 0) break;
      const label = (await collapsed.getAttribute('aria-label')) ?? '';
      await collapsed.click();
      await editor.hover();
      await waitFor(`The row "${label}" opening`, rows.and(page.locator(`[aria-label="${label.replace(/"/g, '\\"')}"][aria-expanded="true"]`)).first());
    }
    await waitFor(`A row for the tool "${TOOL_ROW}" in "${VIEW_NAME}"`, rows.filter({ hasText: TOOL_ROW }).first());
    await waitFor(`A row for the demo database "${DATABASE_ROW}" under the SQLite server`, rows.filter({ hasText: DATABASE_ROW }).first());

    // A hover that outlived the pointer's move (the activity bar's tooltip can) goes with Escape.
    const hover = page.locator(HOVER).filter({ visible: true }).first();
    await page.mouse.move(800, 600);
    if (await hover.isVisible()) await page.keyboard.press('Escape');
    await waitFor('A tooltip over the workbench', hover, 'hidden');
    await page.screenshot({ path: file });
    return file;
  } finally {
    await page.context().close();
  }
}
