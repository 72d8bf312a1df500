// Trunk post-build hook: puts a Content-Security-Policy into the built index.html.
//
// The page has inline scripts (the isolation boot script, the start-up error banner, and the
// module loader trunk writes), so the policy allows exactly those by their SHA-256 hashes,
// computed here from the built file; any other inline script is refused. 'wasm-unsafe-eval'
// lets WebAssembly compile (no JavaScript eval is allowed); blob: workers are the labs' own
// (js-real, litmus-hw, process tasks), made from code the page wrote. Style attributes are
// set by the UI (bar widths), hence 'unsafe-inline' for styles only.
//
// Usage: node scripts/csp.mjs [dir]  (default: $TRUNK_STAGING_DIR, else dist)
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const dir = process.argv[2] ?? process.env.TRUNK_STAGING_DIR ?? "dist";
const file = join(dir, "index.html");
let html = readFileSync(file, "utf8");
html = html.replace(/\s*<meta http-equiv="Content-Security-Policy"[^>]*>/, "");

const hashes = [...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)].map(
  ([, body]) => `'sha256-${createHash("sha256").update(body, "utf8").digest("base64")}'`,
);
const policy = [
  "default-src 'self'",
  `script-src 'self' 'wasm-unsafe-eval' ${hashes.join(" ")}`,
  "worker-src 'self' blob:",
  "style-src 'self' 'unsafe-inline'",
  // blob: images: Save PNG draws the chart's SVG from a blob URL onto a canvas.
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'none'",
].join("; ");
const meta = `<meta http-equiv="Content-Security-Policy" content="${policy}">`;
if (!/<meta charset="utf-8">/.test(html)) throw new Error(`${file}: no <meta charset> to put the policy after`);
html = html.replace(/<meta charset="utf-8">/, (charset) => `${charset}\n  ${meta}`);
writeFileSync(file, html);
console.log(`csp: ${hashes.length} inline scripts allowed by hash in ${file}`);
