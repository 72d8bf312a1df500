// The site's one service worker. Today it serves the IO lab's delayed responses, so real
// requests with a controllable latency work on localhost and on any static host:
//   GET <scope>/io/delay/<ms>/<bytes>  → after a real timer of <ms> ms, <bytes> bytes.
// Every other request goes to the network untouched. Other features extend this file.
const MAX_DELAY_MS = 10000;
const MAX_BYTES = 1 << 20;

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  const match = url.origin === self.location.origin && url.pathname.match(/\/io\/delay\/(\d+)\/(\d+)$/);
  if (!match) return;
  const ms = Math.min(Number(match[1]), MAX_DELAY_MS);
  const bytes = Math.min(Number(match[2]), MAX_BYTES);
  event.respondWith(new Promise((resolve) => setTimeout(() => resolve(new Response(new Uint8Array(bytes), {
    headers: {
      "Content-Type": "application/octet-stream",
      "Cache-Control": "no-store",
      "Cross-Origin-Resource-Policy": "same-origin",
      "X-Delayed-Ms": String(ms),
    },
  })), ms)));
});
