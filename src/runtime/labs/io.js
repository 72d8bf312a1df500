// Real IO for the IO lab: the site's service worker answers `io/delay/<ms>/<bytes>` after a
// real timer; these helpers make the requests and report completions into shared memory.

/// Registers the site's service worker and resolves once it controls this page, so the
/// requests made from here and from Workers started afterwards reach it. Rejects after
/// `timeoutMs` with the reason.
export async function ensureServiceWorker(timeoutMs) {
  if (!("serviceWorker" in navigator)) throw new Error("this browser has no service workers");
  if (navigator.serviceWorker.controller) return;
  const base = new URL(".", document.baseURI);
  await navigator.serviceWorker.register(new URL("sw.js", base), { scope: base.pathname });
  await new Promise((resolve, reject) => {
    if (navigator.serviceWorker.controller) return resolve();
    const timer = setTimeout(() => reject(new Error(`the service worker did not take control within ${timeoutMs} ms`)), timeoutMs);
    navigator.serviceWorker.addEventListener("controllerchange", () => { clearTimeout(timer); resolve(); }, { once: true });
  });
}

/// The URL of a request that the service worker answers after `ms` with `bytes` bytes.
export function delayUrl(ms, bytes, tag) {
  return new URL(`io/delay/${ms}/${bytes}?c=${tag}`, document.baseURI).href;
}

/// Starts one asynchronous request per URL. When request `i` has its body, the byte count
/// goes into `flags[i]` (an Int32Array view of shared memory at `flagsPtr`), the readiness
/// word at `wordPtr` is bumped and its waiters are woken: completion only sets a flag.
export function startRequests(memory, flagsPtr, wordPtr, urls) {
  const flags = new Int32Array(memory.buffer, flagsPtr, urls.length);
  const word = new Int32Array(memory.buffer, wordPtr, 1);
  // Resolves to each request's arrival time (performance.now(), the page's clock).
  return Promise.all(urls.map(async (url, i) => {
    const body = await (await fetch(url, { cache: "no-store" })).arrayBuffer();
    const arrived = performance.now();
    Atomics.store(flags, i, body.byteLength + 1);
    Atomics.add(word, 0, 1);
    Atomics.notify(word, 0);
    return arrived;
  }));
}

/// `fetch` + `await` for every URL at once on this thread's loop; resolves to
/// `[bytes, arrived]` per request (arrived: the page's clock when the body was in).
export async function fetchAll(urls) {
  return Promise.all(urls.map(async (url) => {
    const body = await (await fetch(url, { cache: "no-store" })).arrayBuffer();
    return [body.byteLength, performance.now()];
  }));
}
