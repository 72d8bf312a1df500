// A static file server with the two headers that make a page cross-origin isolated.
// Used by the end-to-end tests and `make serve-dist`; listens on 127.0.0.1 only.
import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize, resolve } from "node:path";

const TYPES = {
  ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8",
  ".wasm": "application/wasm", ".json": "application/json", ".svg": "image/svg+xml",
  ".png": "image/png", ".ico": "image/x-icon",
};

/**
 * Starts serving `root`; resolves to { url, close }. `isolate: false` omits COOP/COEP (as
 * GitHub Pages does); `prefix: "/repo"` serves the site under a sub-path (as a project site).
 */
export function serve(root, { port = 0, isolate = true, prefix = "" } = {}) {
  const base = resolve(root);
  const server = createServer(async (req, res) => {
    let path = decodeURIComponent(new URL(req.url, "http://x").pathname);
    if (prefix) {
      if (!path.startsWith(`${prefix}/`)) { res.writeHead(404).end("outside the site"); return; }
      path = path.slice(prefix.length);
    }
    let file = normalize(join(base, path));
    if (!file.startsWith(base)) { res.writeHead(403).end(); return; }
    try {
      if ((await stat(file)).isDirectory()) file = join(file, "index.html");
      const body = await readFile(file);
      const headers = { "Content-Type": TYPES[extname(file)] ?? "application/octet-stream", "Cache-Control": "no-store" };
      if (isolate) {
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
        headers["Cross-Origin-Embedder-Policy"] = "require-corp";
      }
      res.writeHead(200, headers).end(body);
    } catch {
      res.writeHead(404, { "Content-Type": "text/plain" }).end("not found");
    }
  });
  return new Promise((ok) => server.listen(port, "127.0.0.1", () => {
    ok({ url: `http://127.0.0.1:${server.address().port}${prefix}`, close: () => new Promise((done) => { server.closeAllConnections(); server.close(done); }) });
  }));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const root = process.argv[2] ?? "dist";
  const port = Number(process.argv[3] ?? 8080);
  const { url } = await serve(root, { port });
  console.log(`serving ${root} at ${url} with COOP/COEP`);
}
