// Named steps over a Playwright page: a step that fails takes a screenshot of what the page showed
// and rejects with a message naming the step and that screenshot.

/** Returns step(what, action): runs action, or rejects naming `what` and the failure screenshot. */
export function pageSteps(page, failedShot) {
  return async (what, action) => {
    try {
      return await action();
    } catch (err) {
      await page.screenshot({ path: failedShot }).catch((shotErr) => console.error(`Could not take ${failedShot}: ${shotErr.message}`));
      throw new Error(`${what} failed (${err.message.split('\n')[0]}). What the page showed: ${failedShot}`);
    }
  };
}

/** Moves the pointer away and closes a hover that outlived it (the activity bar's tooltip can). */
export async function clearHover(page) {
  await page.mouse.move(800, 600);
  const hover = page.locator('.workbench-hover-container, .monaco-hover:not(.hidden)').filter({ visible: true }).first();
  if (await hover.isVisible()) await page.keyboard.press('Escape');
  await hover.waitFor({ state: 'hidden', timeout: 10000 });
}
