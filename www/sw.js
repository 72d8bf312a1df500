// The site's one service worker, registered at the site's own path (its scope). It does two
// things, and other features extend this file rather than adding a worker:
//
// 1. Cross-origin isolation on hosts that cannot send headers (GitHub Pages): it re-serves
//    every same-origin response with COOP/COEP, so the pages it controls get
//    SharedArrayBuffer and threads. Hosts that send the headers themselves (trunk serve,
//    _headers on Netlify / Cloudflare Pages, nginx) get the same headers twice: harmless.
//    The page's boot script (www/index.html) registers it and reloads once.
// 2. The IO lab's delayed responses, so real requests with a controllable latency work on
//    localhost and on any static host:
//      GET <scope>/io/delay/<ms>/<bytes>  → after a real timer of <ms> ms, <bytes> bytes.
const MAX_DELAY_MS = 10000;
const MAX_BYTES = 1 << 20;

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

/** The response with the headers that make a document (or worker) cross-origin isolated. */
function isolated(response) {
  // Opaque responses cannot be re-wrapped; the site makes no cross-origin requests anyway.
  if (response.status === 0) return response;
  const headers = new Headers(response.headers);
  headers.set("Cross-Origin-Opener-Policy", "same-origin");
  headers.set("Cross-Origin-Embedder-Policy", "require-corp");
  headers.set("Cross-Origin-Resource-Policy", "same-origin");
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

function delayed(ms, bytes) {
  return new Promise((resolve) => setTimeout(() => resolve(new Response(new Uint8Array(bytes), {
    headers: {
      "Content-Type": "application/octet-stream",
      "Cache-Control": "no-store",
      "Cross-Origin-Resource-Policy": "same-origin",
      "X-Delayed-Ms": String(ms),
    },
  })), ms));
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  // A quirk of Chrome's DevTools: such requests fail when answered from a worker.
  if (request.cache === "only-if-cached" && request.mode !== "same-origin") return;
  const match = url.pathname.match(/\/io\/delay\/(\d+)\/(\d+)$/);
  if (match) {
    event.respondWith(delayed(Math.min(Number(match[1]), MAX_DELAY_MS), Math.min(Number(match[2]), MAX_BYTES)));
    return;
  }
  event.respondWith(fetch(request).then(isolated));
});
