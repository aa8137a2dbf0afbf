// The @warden chat participant answering a question the way a person asks it: typed into the chat
// view's input, answered by a scripted chat model (test/fixtures/scripted-model) that reads a file
// and queries the demo database through Warden, then writes its answer from what the tools returned.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from './install.mjs';
import { pageSteps } from './pageSteps.mjs';
import { workbenchUrl } from './workbench.mjs';

/** The scripted chat models, as the host tests load them (see run-tests.mjs). */
export const scriptedModel = {
  manifest: path.join(projectRoot, 'test', 'fixtures', 'scripted-model', 'package.json'),
  code: path.join(projectRoot, 'out', 'test', 'fixtures', 'scripted-model'),
};
// test/fixtures/scripted-model/extension.ts reads the scripts from this variable.
const SCRIPTS_VARIABLE = 'WARDEN_SCRIPTED_MODEL_SCRIPTS';
const MODEL = 'scripted-tools';
const MODEL_NAME = 'Scripted (tool calls)';
const QUESTION = '@warden Which order states does docs/guide.md describe, and which state are most of our orders in?';
const STATE = '(pending|paid|shipped|cancelled)';
const SCRIPT = [
  { kind: 'call', calls: [{ tool: 'fs__read_text', arguments: { path: 'docs/guide.md' } }] },
  { kind: 'call', calls: [{ tool: 'sqlite__query', arguments: { sql: 'SELECT state, COUNT(*) AS orders FROM orders GROUP BY state ORDER BY orders DESC, state' } }] },
  {
    kind: 'answer',
    text:
      '`docs/guide.md` describes four order states, from **{0}** through paid and shipped to cancelled; only pending and paid orders reach the support queue.\n\n' +
      'In `data/shop.sqlite` most orders are **{1}** ({2} of them).',
    quotes: ['\\*\\*(\\w+)\\*\\*: the customer placed', `\\| ${STATE} \\| \\d+ \\|`, `\\| (?:pending|paid|shipped|cancelled) \\| (\\d+) \\|`],
  },
];
// What the answer says once both tools returned what the script quotes.
const ANSWER = new RegExp(`from pending through paid.*most orders are ${STATE} \\(\\d+ of them\\)`, 's');

/** Resolves with the screenshot's path; rejects naming the step that failed. */
export async function screenshotChat({ newPage, origin, folder, extensionDevelopmentPath, file, deadlineMs }) {
  const page = await newPage();
  const step = pageSteps(page, file.replace(/\.png$/, '-failed.png'));
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    const env = { [SCRIPTS_VARIABLE]: JSON.stringify({ [MODEL]: SCRIPT }) };
    await page.goto(workbenchUrl(origin, { folder, extensionDevelopmentPath, env }));
    await step('Waiting for every Warden server to run ("Warden N/N")', () =>
      page.locator('.statusbar-item', { hasText: /Warden (\d+)\/\1\b/ }).first().waitFor({ timeout: deadlineMs }),
    );

    const chat = page.locator('.part.auxiliarybar');
    const input = chat.locator('.interactive-input-part .monaco-editor').first();
    await step('Opening the chat view (Ctrl+Alt+I)', async () => {
      await page.locator('.part.editor').first().click();
      await page.keyboard.press('Control+Alt+KeyI');
      await input.waitFor({ timeout: deadlineMs });
    });
    await step(`Checking the chat view picked the model "${MODEL_NAME}"`, () =>
      chat.locator(`[aria-label*="Models, ${MODEL_NAME}"]`).first().waitFor({ timeout: deadlineMs }),
    );
    // Room for the answer: the chat view takes the place of the explorer.
    await widen(page, chat);

    await step('Typing the question and sending it', async () => {
      await input.click();
      await page.keyboard.type(QUESTION);
      await page.keyboard.press('Enter');
    });
    const response = chat.locator('.interactive-item-container.interactive-response').last();
    await step('Waiting for the answer written from what the tools returned', () =>
      response.filter({ hasText: ANSWER }).waitFor({ timeout: deadlineMs }),
    );
    // The request is over when the input offers Send again instead of Cancel.
    await step('Waiting for the request to end', () => chat.locator('.interactive-input-part [aria-label^="Send"]').first().waitFor({ timeout: deadlineMs }));
    const text = await response.innerText();
    if (/nothing matched/.test(text)) throw new Error(`The answer quotes nothing the tools returned: ${text}`);
    await page.mouse.move(640, 780);
    await page.screenshot({ path: file });
    return file;
  } finally {
    await page.context().close();
  }
}

/** Drags the chat view's left edge towards the window's left side. */
async function widen(page, chat) {
  const box = await chat.boundingBox();
  if (!box) throw new Error('The chat view has no size on the page.');
  await page.keyboard.press('Control+KeyB'); // hides the primary side bar
  const edge = (await chat.boundingBox()) ?? box;
  await page.mouse.move(edge.x - 2, edge.y + edge.height / 2);
  await page.mouse.down();
  await page.mouse.move(Math.max(360, edge.x - 260), edge.y + edge.height / 2, { steps: 8 });
  await page.mouse.up();
}
