// Runs a tool from the command palette the way a person does (F1, type, pick, fill in the form)
// and checks that the result opens; screenshots the result and the status bar on the way.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { workbenchUrl } from './workbench.mjs';

const QUICK_INPUT = '.quick-input-widget';
// Every hosted server running: "Warden 3/3".
const STATUS_ITEM = { selector: '.statusbar-item', hasText: /Warden (\d+)\/\1\b/ };

/** Resolves with the screenshots' paths; rejects with a message naming the step that failed. */
export async function runToolFromPalette({ newPage, origin, folder, extensionDevelopmentPath, dir, deadlineMs }) {
  const page = await newPage();
  const shot = (name) => path.join(dir, name);
  const step = async (what, action) => {
    try {
      return await action();
    } catch (err) {
      await page.screenshot({ path: shot('run-tool-failed.png') });
      throw new Error(`${what} failed (${err.message.split('\n')[0]}). What the page showed: ${shot('run-tool-failed.png')}`);
    }
  };
  try {
    mkdirSync(dir, { recursive: true });
    await page.goto(workbenchUrl(origin, { folder, extensionDevelopmentPath }));
    const status = page.locator(STATUS_ITEM.selector, { hasText: STATUS_ITEM.hasText }).first();
    await step('Waiting for the status bar to show every server running ("Warden N/N")', () => status.waitFor({ timeout: deadlineMs }));
    await page.locator('.part.statusbar').screenshot({ path: shot('status-bar.png') });

    const input = page.locator(`${QUICK_INPUT} input`).first();
    await step('Opening the command palette with F1', async () => {
      await page.locator('.part.editor').first().click();
      await page.keyboard.press('F1');
      await input.waitFor({ timeout: deadlineMs });
    });
    await step('Picking "Warden: Run Tool…"', async () => {
      await input.fill('>Warden: Run Tool');
      await page.locator(`${QUICK_INPUT} .monaco-list-row`, { hasText: 'Warden: Run Tool' }).first().waitFor({ timeout: deadlineMs });
      await page.keyboard.press('Enter');
    });
    await step('Picking the tool read_text', async () => {
      await page.locator(`${QUICK_INPUT} .monaco-list-row`, { hasText: 'read_text' }).first().waitFor({ timeout: deadlineMs });
      await input.fill('read_text');
      await page.keyboard.press('Enter');
    });
    await step('Filling in "path"', async () => {
      await page.locator(`${QUICK_INPUT} .quick-input-title`, { hasText: 'read_text: path' }).waitFor({ timeout: deadlineMs });
      await input.fill('README.md');
      await page.keyboard.press('Enter');
    });
    const result = page.locator('.part.editor .view-lines', { hasText: 'fs.read_text succeeded' }).first();
    await step('Leaving the optional fields empty until the result opens', async () => {
      const title = page.locator(`${QUICK_INPUT} .quick-input-title`).first();
      for (let field = 0; field < 12; field++) {
        await Promise.race([
          page.locator(`${QUICK_INPUT} .quick-input-title`, { hasText: '(optional)' }).first().waitFor({ timeout: deadlineMs }),
          result.waitFor({ timeout: deadlineMs }),
        ]);
        if (await result.isVisible()) break;
        const before = await title.textContent();
        const leaveOut = page.locator(`${QUICK_INPUT} .monaco-list-row`, { hasText: '(leave out)' });
        await input.fill((await leaveOut.count()) > 0 ? '(leave out)' : '');
        await page.keyboard.press('Enter');
        // The next field reuses the same widget: wait until its title changes or it closes.
        await page.waitForFunction(
          ([selector, previous]) => {
            const element = document.querySelector(selector);
            return !element || element.offsetParent === null || element.textContent !== previous;
          },
          [`${QUICK_INPUT} .quick-input-title`, before],
          { timeout: deadlineMs },
        );
      }
      await result.waitFor({ timeout: deadlineMs });
    });
    await step('Checking the result shows the file', () =>
      page.locator('.part.editor .view-lines', { hasText: 'Acme Shop' }).first().waitFor({ timeout: deadlineMs }),
    );
    await page.mouse.move(0, 0);
    await page.screenshot({ path: shot('run-tool.png') });
    await step('Finding the call in the Audit History view', async () => {
      await page.locator('.activitybar [aria-label^="Warden"]').first().click();
      const history = page.locator('.part.sidebar .monaco-list[aria-label*="Audit History"] .monaco-list-row', { hasText: 'read_text' });
      await history.first().waitFor({ timeout: deadlineMs });
    });
    await page.mouse.move(800, 600);
    const hover = page.locator('.workbench-hover-container, .monaco-hover:not(.hidden)').filter({ visible: true }).first();
    if (await hover.isVisible()) await page.keyboard.press('Escape');
    await page.screenshot({ path: shot('audit-history.png') });
    return [shot('status-bar.png'), shot('run-tool.png'), shot('audit-history.png')];
  } finally {
    await page.context().close();
  }
}
