// Launches the machine's Chromium, headless, through playwright-core. Requests to anything but
// the loopback interface are blocked: the workbench must work offline.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { hostPaths } from './install.mjs';
import { onShutdown } from './shutdown.mjs';

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const LAUNCH_TIMEOUT_MS = 60000;
const verbose = Boolean(process.env.WARDEN_HOST_VERBOSE);

function isLoopback(url) {
  const { protocol, hostname } = new URL(url);
  if (protocol === 'data:' || protocol === 'blob:' || protocol === 'about:') return true;
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}

/** Returns { browser, newPage(), close() }. Closing is also registered for Ctrl-C and exit. */
export async function launchBrowser() {
  const { chromiumBin } = hostPaths();
  // Chromium's crash reports and desktop settings go here, not into the home folder.
  const home = mkdtempSync(path.join(os.tmpdir(), 'warden-chromium-'));
  const env = { ...process.env, HOME: home, XDG_CONFIG_HOME: home, XDG_CACHE_HOME: home, XDG_DATA_HOME: home, TMPDIR: home };
  const browser = await chromium.launch({
    executablePath: chromiumBin,
    headless: true,
    args: ARGS,
    env,
    timeout: LAUNCH_TIMEOUT_MS,
    // This process decides when to stop; playwright still kills the browser if this process exits.
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  });
  let closed;
  const close = () => {
    closed ??= (async () => {
      unregister();
      await browser.close();
      rmSync(home, { recursive: true, force: true });
    })();
    return closed;
  };
  const unregister = onShutdown({
    name: 'Chromium',
    stop: close,
    // On exit, playwright's own handler kills the browser's process group; only its folder is left.
    kill: () => rmSync(home, { recursive: true, force: true }),
  });

  /** A fresh page in its own context (no shared storage), with non-loopback requests blocked. */
  const newPage = async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    await context.route(
      (url) => !isLoopback(url.href),
      (route) => {
        if (verbose) console.log(`[browser] blocked request to ${route.request().url()}`);
        return route.abort('blockedbyclient');
      },
    );
    return context.newPage();
  };
  return { browser, newPage, close };
}
