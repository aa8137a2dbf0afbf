// Runs Warden's host tests in a real VS Code (code-server + Chromium, offline), then takes a
// screenshot of the Warden sidebar as a person sees it. Prints `N passed, N failed` last.
// Usage: node scripts/host/run-tests.mjs   (build first: node scripts/build.mjs)
// Environment:
//   WARDEN_EXTENSION_PATH  extension folder to load (default: the project root)
//   WARDEN_DEMO_PATH       workspace folder to copy and open (default: demo/)
//   WARDEN_TESTS_PATH      compiled tests module to run (default: out/test/host/index.js)
//   WARDEN_TEST_GREP       run only the host tests whose title matches, and only the browser steps
//                          whose name matches (sidebar, crashing server, chat participant, MCP client)
//   WARDEN_HOST_VERBOSE    also print code-server's output and blocked browser requests
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { launchBrowser } from './browser.mjs';
import { startCodeServer } from './codeServer.mjs';
import { runExtensionTests } from './extensionTests.mjs';
import { ensureHost, projectRoot } from './install.mjs';
import { stopAll } from './shutdown.mjs';
import { runToolFromPalette } from './paletteFlow.mjs';
import { screenshotSidebar } from './sidebarScreenshot.mjs';
import { configureCrashingServer, screenshotCrashingServer } from './crashScreenshot.mjs';
import { screenshotChat, scriptedModel } from './chatScreenshot.mjs';
import { configureGatewayServer, GATEWAY_POLICY_SETTINGS, screenshotMcpClient } from './mcpClientScreenshot.mjs';
import { copyDemoWorkspace, demoFolder } from './workspace.mjs';

const RUN_DEADLINE_MS = 10 * 60 * 1000;
const SCREENSHOT_WAIT_MS = 90 * 1000;
// A quiet, predictable workbench: no welcome page, no chat side bar.
const SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'workbench.tips.enabled': false,
};

const extensionPath = path.resolve(process.env.WARDEN_EXTENSION_PATH || projectRoot);
const testsPath = path.resolve(process.env.WARDEN_TESTS_PATH || path.join(projectRoot, 'out', 'test', 'host', 'index.js'));
// Loaded beside Warden for the host tests and the chat screenshot only: chat models that follow a
// script (scriptedModel). Its manifest and its compiled code are placed in the test profile.
const resultsDir = path.join(projectRoot, 'test-results');
const screenshotPath = path.join(resultsDir, 'screenshots', 'sidebar.png');
const crashShotPath = path.join(resultsDir, 'screenshots', 'crashing-server.png');
const chatShotPath = path.join(resultsDir, 'screenshots', 'chat-participant.png');
const mcpShotPath = path.join(resultsDir, 'screenshots', 'mcp-gateway.png');

function seconds(since) {
  return `${((Date.now() - since) / 1000).toFixed(1)} s`;
}

/** Throws with what to do when the extension, the compiled tests or the demo workspace are missing. */
function checkBuilt() {
  const manifest = path.join(extensionPath, 'package.json');
  if (!existsSync(manifest)) throw new Error(`No extension at ${extensionPath} (no package.json). Check WARDEN_EXTENSION_PATH.`);
  const main = JSON.parse(readFileSync(manifest, 'utf8')).main;
  if (main && !existsSync(path.resolve(extensionPath, main)) && !existsSync(path.resolve(extensionPath, `${main}.js`))) {
    throw new Error(`The extension's main file ${path.resolve(extensionPath, main)} is missing. Build first: node scripts/build.mjs`);
  }
  if (!existsSync(testsPath)) throw new Error(`The compiled host tests ${testsPath} are missing. Build first: node scripts/build.mjs`);
  const scriptedMain = JSON.parse(readFileSync(scriptedModel.manifest, 'utf8')).main;
  if (!existsSync(path.resolve(scriptedModel.code, scriptedMain))) {
    throw new Error(`The scripted chat models' code ${path.resolve(scriptedModel.code, scriptedMain)} is missing. Build first: node scripts/build.mjs`);
  }
  if (!existsSync(demoFolder())) {
    throw new Error(`The demo workspace ${demoFolder()} is missing. Restore it (git checkout -- demo) or set WARDEN_DEMO_PATH.`);
  }
}

/** Phase 1: the mocha suite inside the extension host. Returns { passed, failed }. */
async function hostTests(browser) {
  const started = Date.now();
  const workspace = copyDemoWorkspace();
  let codeServer;
  try {
    codeServer = await startCodeServer({ settings: SETTINGS, extensions: [scriptedModel] });
    console.log(`Running the host tests in VS Code (code-server at ${codeServer.origin}, workspace ${workspace.folder})…`);
    const env = { WARDEN_TEST_RESULTS: resultsDir, WARDEN_TEST_WORKSPACE: workspace.folder, WARDEN_HOST_MARK_OUTPUT: '1' };
    if (process.env.WARDEN_TEST_GREP) env.WARDEN_TEST_GREP = process.env.WARDEN_TEST_GREP;
    const { exitCode, result } = await runExtensionTests({
      newPage: browser.newPage,
      origin: codeServer.origin,
      folder: workspace.folder,
      extensionDevelopmentPath: extensionPath,
      extensionTestsPath: testsPath,
      env,
      logsDir: path.join(resultsDir, 'vscode-logs'),
      // Shorter than the whole run's deadline, so that its more precise message comes first.
      deadlineMs: RUN_DEADLINE_MS - 2 * 60 * 1000,
    });
    console.log(`Host tests ended with exit code ${exitCode} after ${seconds(started)}.`);
    if (result) return { passed: result.passed, failed: result.failed + (exitCode !== 0 && result.failed === 0 ? 1 : 0) };
    console.error('The host tests reported no counts: the suite did not load or did not run (see the output above).');
    return { passed: 0, failed: 1 };
  } finally {
    await codeServer?.stop();
    workspace.remove();
  }
}

/**
 * Phase 2: the UI as a person sees it: the sidebar, then a tool run from the palette. Returns
 * true when both worked.
 */
async function sidebar(browser) {
  const started = Date.now();
  const workspace = copyDemoWorkspace();
  let codeServer;
  try {
    codeServer = await startCodeServer({ settings: SETTINGS });
    console.log('Taking a screenshot of the Warden sidebar…');
    await screenshotSidebar({
      newPage: browser.newPage,
      origin: codeServer.origin,
      folder: workspace.folder,
      extensionDevelopmentPath: extensionPath,
      file: screenshotPath,
      deadlineMs: SCREENSHOT_WAIT_MS,
    });
    console.log(`✓ sidebar screenshot: ${path.relative(projectRoot, screenshotPath)} (${seconds(started)})`);
    const shots = await runToolFromPalette({
      newPage: browser.newPage,
      origin: codeServer.origin,
      folder: workspace.folder,
      extensionDevelopmentPath: extensionPath,
      dir: path.dirname(screenshotPath),
      deadlineMs: SCREENSHOT_WAIT_MS,
    });
    console.log(`✓ Run Tool from the palette: ${shots.map((s) => path.relative(projectRoot, s)).join(', ')} (${seconds(started)})`);
    return true;
  } catch (err) {
    console.error(`✗ sidebar and palette: ${err.message}`);
    return false;
  } finally {
    await codeServer?.stop();
    workspace.remove();
  }
}

/**
 * A browser phase that takes one screenshot: a copy of the demo workspace (changed by `prepare`),
 * code-server with `settings` and `extensions`, then `screenshot` drives the page. Returns true
 * when it worked.
 */
async function screenshotPhase(browser, { name, file, prepare = () => undefined, settings = {}, extensions = [], screenshot }) {
  const started = Date.now();
  const workspace = copyDemoWorkspace();
  let codeServer;
  try {
    prepare(workspace.folder);
    codeServer = await startCodeServer({ settings: { ...SETTINGS, ...settings }, extensions });
    await screenshot({
      newPage: browser.newPage,
      origin: codeServer.origin,
      folder: workspace.folder,
      extensionDevelopmentPath: extensionPath,
      file,
      deadlineMs: SCREENSHOT_WAIT_MS,
    });
    console.log(`✓ ${name}: ${path.relative(projectRoot, file)} (${seconds(started)})`);
    return true;
  } catch (err) {
    console.error(`✗ ${name}: ${err.message}`);
    return false;
  } finally {
    await codeServer?.stop();
    workspace.remove();
  }
}

/** The browser phases, each named for WARDEN_TEST_GREP. */
const BROWSER_STEPS = [
  { name: 'sidebar and Run Tool from the palette', run: sidebar },
  // A configured server that crashes on start, approved by a click, in error in the tree.
  {
    name: 'crashing server in the sidebar',
    run: (browser) => screenshotPhase(browser, { name: 'crashing server in the sidebar', file: crashShotPath, prepare: configureCrashingServer, screenshot: screenshotCrashingServer }),
  },
  // The @warden participant answering a question typed into the chat view.
  {
    name: 'chat participant in the chat view',
    run: (browser) => screenshotPhase(browser, { name: 'chat participant in the chat view', file: chatShotPath, extensions: [scriptedModel], screenshot: screenshotChat }),
  },
  // VS Code's own MCP client starting Warden's gateway, taking its tools and calling one.
  {
    name: "gateway in VS Code's MCP client",
    run: (browser) =>
      screenshotPhase(browser, {
        name: "gateway in VS Code's MCP client",
        file: mcpShotPath,
        prepare: configureGatewayServer,
        settings: GATEWAY_POLICY_SETTINGS,
        extensions: [scriptedModel],
        screenshot: screenshotMcpClient,
      }),
  },
];

async function main() {
  checkBuilt();
  await ensureHost();
  const started = Date.now();
  const watchdog = setTimeout(() => {
    console.error(
      `The host test run did not finish within ${RUN_DEADLINE_MS / 60000} minutes: stopping it. ` +
        'Run again with WARDEN_HOST_VERBOSE=1 to see what VS Code was doing.',
    );
    stopAll().finally(() => {
      console.log('0 passed, 1 failed');
      process.exit(1);
    });
  }, RUN_DEADLINE_MS);
  watchdog.unref();

  rmSync(path.join(resultsDir, 'vscode-logs'), { recursive: true, force: true });
  for (const shot of [screenshotPath, crashShotPath, chatShotPath, mcpShotPath]) {
    for (const old of [shot, shot.replace(/\.png$/, '-failed.png')]) rmSync(old, { force: true });
  }
  const grep = process.env.WARDEN_TEST_GREP ? new RegExp(process.env.WARDEN_TEST_GREP) : undefined;
  const steps = BROWSER_STEPS.filter((s) => !grep || grep.test(s.name));
  const browser = await launchBrowser();
  let counts;
  const browserResults = [];
  try {
    counts = await hostTests(browser).catch((err) => {
      console.error(`✗ host tests: ${err.message}`);
      return { passed: 0, failed: 1 };
    });
    for (const step of steps) browserResults.push(await step.run(browser));
  } finally {
    await browser.close();
    clearTimeout(watchdog);
  }
  console.log(`Whole run: ${seconds(started)}.`);
  const passed = counts.passed + browserResults.filter((ok) => ok).length;
  const failed = counts.failed + browserResults.filter((ok) => !ok).length;
  console.log(`${passed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

try {
  process.exitCode = await main();
} catch (err) {
  console.error(err.message);
  await stopAll();
  console.log('0 passed, 1 failed');
  process.exitCode = 1;
}
