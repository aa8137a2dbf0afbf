// VS Code's own MCP client starting Warden's gateway the way a person does: the workspace names a
// server (approved here with a click), the user's policy lets gateway callers use it, and "MCP:
// List Servers" offers "Warden Gateway"; starting it from there, VS Code lists the gateway's tools
// and accepts every name. One of them is then called through VS Code (vscode.lm.invokeTool, from
// the test extension's palette command): the gateway's gate refuses it, as the server's tools are
// not trusted and nobody can confirm there, and says what to do in VS Code. Done as it says
// ("Warden: Always Allow a Tool for Models…", confirmed in its modal), the running gateway applies
// its rewritten configuration and the same call returns the echoed text. Screenshots the server list with the gateway
// running, over that answer and the gateway's output.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from './install.mjs';
import { pageSteps } from './pageSteps.mjs';
import { workbenchUrl } from './workbench.mjs';

export const GATEWAY_SERVER_ID = 'echoer';
const FIXTURE = path.join(projectRoot, 'out', 'test', 'fixtures', 'servers', 'misbehaving.js');
const LABEL = 'Warden Gateway';
const QUICK_INPUT = '.quick-input-widget';
const ECHO_TEXT = 'through VS Code\'s MCP client and the gateway';
const INVOKE_TITLE = 'Scripted: Invoke a Language Model Tool';
const ALLOW_TITLE = 'Warden: Always Allow a Tool for Models';

/** The user setting that lets gateway callers use the configured server (pass it to code-server). */
export const GATEWAY_POLICY_SETTINGS = {
  'warden.policy.rules': [{ id: 'gateway-echoer', server: GATEWAY_SERVER_ID, caller: 'gateway:*', effect: 'allow' }],
};

/** Adds to the workspace's .vscode/settings.json a well-behaved server for the gateway to host. */
export function configureGatewayServer(folder) {
  if (!existsSync(FIXTURE)) throw new Error(`The fixture server ${FIXTURE} is missing. Build first: node scripts/build.mjs`);
  const file = path.join(folder, '.vscode', 'settings.json');
  const settings = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
  settings['warden.servers'] = { ...settings['warden.servers'], [GATEWAY_SERVER_ID]: { command: process.execPath, args: [FIXTURE] } };
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(settings, null, 2)}\n`);
}

/** Resolves with the screenshot's path; rejects naming the step that failed. */
export async function screenshotMcpClient({ newPage, origin, folder, extensionDevelopmentPath, file, deadlineMs }) {
  const page = await newPage();
  const step = pageSteps(page, file.replace(/\.png$/, '-failed.png'));
  const input = page.locator(`${QUICK_INPUT} input`).first();
  const rows = page.locator(`${QUICK_INPUT} .monaco-list-row`);
  const runCommand = async (title) => {
    await page.keyboard.press('Escape');
    await page.locator('.part.editor').first().click();
    await page.keyboard.press('F1');
    await input.waitFor({ timeout: deadlineMs });
    await input.fill(`>${title}`);
    await rows.filter({ hasText: title }).first().waitFor({ timeout: deadlineMs });
    await page.keyboard.press('Enter');
  };
  const listServers = () => runCommand('MCP: List Servers');
  const result = page.locator('.part.editor .view-lines');
  /** Calls the gateway's echo tool as VS Code lists it, through the test extension's command. */
  const invokeEcho = async (which) => {
    await step(`Opening "${INVOKE_TITLE}" (${which} call)`, () => runCommand(INVOKE_TITLE));
    await step(`Picking the gateway's "${GATEWAY_SERVER_ID}__echo"`, async () => {
      await input.fill(`${GATEWAY_SERVER_ID}__echo`);
      await rows.filter({ hasText: `${GATEWAY_SERVER_ID}__echo` }).first().waitFor({ timeout: deadlineMs });
      await page.keyboard.press('Enter');
    });
    await step('Giving its input', async () => {
      await page.locator(`${QUICK_INPUT} .quick-input-title`, { hasText: 'Input for' }).waitFor({ timeout: deadlineMs });
      await input.fill(JSON.stringify({ text: ECHO_TEXT }));
      await page.keyboard.press('Enter');
    });
  };
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    await page.goto(workbenchUrl(origin, { folder, extensionDevelopmentPath }));
    const dialog = page.locator('.monaco-dialog-box').filter({ hasText: GATEWAY_SERVER_ID });
    await step(`Approving "${GATEWAY_SERVER_ID}" with "Allow and Start"`, async () => {
      await dialog.waitFor({ timeout: deadlineMs });
      await dialog.getByRole('button', { name: 'Allow and Start' }).click();
      await dialog.waitFor({ state: 'hidden', timeout: deadlineMs });
    });
    await step('Waiting for every Warden server to run ("Warden N/N")', () =>
      page.locator('.statusbar-item', { hasText: /Warden (\d+)\/\1\b/ }).first().waitFor({ timeout: deadlineMs }),
    );

    await step(`Finding "${LABEL}" in "MCP: List Servers"`, async () => {
      await listServers();
      await rows.filter({ hasText: LABEL }).first().waitFor({ timeout: deadlineMs });
    });
    await step(`Starting "${LABEL}" from its actions`, async () => {
      await rows.filter({ hasText: LABEL }).first().click();
      await rows.filter({ hasText: 'Start Server' }).first().waitFor({ timeout: deadlineMs });
      await rows.filter({ hasText: 'Start Server' }).first().click();
    });
    // VS Code opens the server's output; its client logs the tools it took, and each name it
    // refused. The editor renders spaces as no-break spaces.
    const output = page.locator('.part.panel .view-lines');
    await step('Waiting for VS Code to list the gateway\'s tools', () =>
      output.filter({ hasText: /Discovered\s[1-9]\d*\stools/ }).first().waitFor({ timeout: deadlineMs }),
    );
    const text = (await output.first().innerText()).replace(/\u00a0/g, ' ');
    if (/is invalid/.test(text)) throw new Error(`VS Code refused some of the gateway's tools: ${text}`);
    if (!text.includes(`[warden-gateway] [${GATEWAY_SERVER_ID}] Running`)) throw new Error(`The gateway's log does not show "${GATEWAY_SERVER_ID}" running: ${text}`);

    // A call as VS Code's MCP client makes it: through the gateway's gate to the hosted server.
    await invokeEcho('first');
    // The configured server's tools are not trusted, so the gate wants a person; at the gateway
    // nobody can be asked, and the refusal says what to do in VS Code.
    await step('Reading the refusal the gateway\'s gate answered with', () =>
      result.filter({ hasText: /CONFIRMATION_DECLINED/ }).first().waitFor({ timeout: deadlineMs }),
    );
    const answer = (await result.first().innerText()).replace(/\u00a0/g, ' ').replace(/\s+/g, ' ');
    if (!answer.includes(`${GATEWAY_SERVER_ID}__echo returned:`)) throw new Error(`The tool did not return through VS Code: ${answer}`);
    if (!answer.includes(`allow ${GATEWAY_SERVER_ID}/echo with "${ALLOW_TITLE}…" in VS Code`)) {
      throw new Error(`The refusal does not say what to do in VS Code: ${answer}`);
    }


    // The person allows the tool for models, as the refusal says.
    await step(`Running "${ALLOW_TITLE}" for ${GATEWAY_SERVER_ID}.echo`, async () => {
      await runCommand(ALLOW_TITLE);
      await input.fill(`${GATEWAY_SERVER_ID}.echo`);
      await rows.filter({ hasText: `${GATEWAY_SERVER_ID}.echo` }).first().waitFor({ timeout: deadlineMs });
      await page.keyboard.press('Enter');
    });
    const modal = page.locator('.monaco-dialog-box').filter({ hasText: `Let models call ${GATEWAY_SERVER_ID}.echo without asking?` });
    await step('Confirming with "Always Allow" in the modal', async () => {
      await modal.waitFor({ timeout: deadlineMs });
      await modal.getByRole('button', { name: 'Always Allow' }).click();
      await modal.waitFor({ state: 'hidden', timeout: deadlineMs });
    });
    // The approval rewrites the gateway's configuration, and the running gateway applies it.
    await step('Waiting for the gateway to apply the changed configuration', () =>
      output.filter({ hasText: /Applied\sthe\schanged\sconfiguration/ }).first().waitFor({ timeout: deadlineMs }),
    );
    await invokeEcho('second');
    await step('Reading the echoed text the call returned this time', () =>
      result.filter({ hasText: 'through VS Code' }).first().waitFor({ timeout: deadlineMs }),
    );

    await step(`Seeing "${LABEL}" running in "MCP: List Servers"`, async () => {
      await listServers();
      await rows.filter({ hasText: new RegExp(`${LABEL}\\s*Running`) }).first().waitFor({ timeout: deadlineMs });
    });
    await page.mouse.move(640, 300);
    await page.screenshot({ path: file });
    return file;
  } finally {
    await page.context().close();
  }
}
