// Stops what this process started when it is interrupted (Ctrl-C, SIGTERM, SIGHUP) or exits for
// any reason, including an uncaught error. Each resource registers an async stop (used on signals)
// and a synchronous kill (used on exit, when nothing can be awaited any more).
const SIGNAL_EXIT_CODES = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };
const STOP_DEADLINE_MS = 15000;

const resources = new Set();
let installed = false;
let stoppingForSignal = false;

function install() {
  if (installed) return;
  installed = true;
  process.on('exit', () => {
    for (const r of resources) r.kill?.();
  });
  for (const [sig, code] of Object.entries(SIGNAL_EXIT_CODES)) {
    process.on(sig, () => {
      if (stoppingForSignal) {
        console.error(`\nReceived ${sig} again: stopping at once.`);
        process.exit(code);
      }
      stoppingForSignal = true;
      const names = [...resources].map((r) => r.name).join(', ');
      console.error(`\nReceived ${sig}: stopping${names ? ` ${names}` : ''}…`);
      const deadline = new Promise((resolve) => setTimeout(resolve, STOP_DEADLINE_MS).unref());
      Promise.race([stopAll(), deadline]).finally(() => process.exit(code));
    });
  }
}

/**
 * Registers a resource to stop. `stop` is async and graceful; `kill` (optional) is synchronous and
 * final, for resources that something else does not already kill on exit.
 * Returns a function that unregisters it (call it once the resource is stopped).
 */
export function onShutdown({ name, stop, kill }) {
  install();
  const resource = { name, stop, kill };
  resources.add(resource);
  return () => resources.delete(resource);
}

/** Stops every registered resource, newest first. */
export async function stopAll() {
  for (const r of [...resources].reverse()) {
    try {
      await r.stop();
    } catch (err) {
      console.error(`Could not stop ${r.name} cleanly (${err.message}); killing it.`);
      r.kill?.();
    }
    resources.delete(r);
  }
}
