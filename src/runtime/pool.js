// The conductor's start-up, kept in JavaScript because it creates a Worker.
//
// The conductor is a dedicated Worker on the page's own wasm module and memory. It, not the
// page, starts the rayon pool (wasm-bindgen-rayon spawns those workers from it), so the page's
// thread never enters rayon, whose locks could make it wait. The Worker is named so DevTools
// lists it as `lab-conductor`.

const CONDUCTOR_SOURCE = `
self.onmessage = async ({ data }) => {
  self.onmessage = null;
  try {
    const pkg = await import(data.mainJS);
    await pkg.default({ module_or_path: data.module, memory: data.memory });
    postMessage({ type: "instantiated" });
    // Posts "ready" once the pool is up, then never returns: the conductor loop parks this
    // worker until jobs arrive. It throws only if the pool fails to start.
    await pkg.conductor_main(data.threads);
  } catch (error) {
    postMessage({ type: "error", message: String(error && error.message || error) });
  }
};`;

// Kept so the browser never collects a worker that only shares memory with the page.
let conductor = null;

export function startConductor(mainJS, module, memory, threads, name) {
  return new Promise((resolve, reject) => {
    const url = URL.createObjectURL(new Blob([CONDUCTOR_SOURCE], { type: "text/javascript" }));
    const worker = new Worker(url, { type: "module", name });
    conductor = worker;
    worker.onmessage = ({ data }) => {
      if (data.type === "instantiated") URL.revokeObjectURL(url);
      if (data.type === "ready") resolve();
      if (data.type === "error") reject(new Error(`the conductor failed: ${data.message}`));
    };
    worker.onerror = (event) => {
      event.preventDefault();
      reject(new Error(`the conductor could not start: ${event.message || "worker error"}`));
    };
    worker.postMessage({ mainJS, module, memory, threads });
  });
}
