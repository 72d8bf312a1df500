// Shared set-up of every spec: serve dist/ with COOP/COEP and launch one browser per file.
import { before, after } from "node:test";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { serve } from "./serve.mjs";
import { launch, ARTIFACTS } from "./browser.mjs";

export const DIST = process.env.DIST ?? join(import.meta.dirname, "..", "..", "dist");

/** Registers before/after hooks; the returned object holds `server` and `browser` once they run. */
export function useSite() {
  const site = { server: null, browser: null };
  before(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    site.server = await serve(DIST);
    site.browser = await launch();
  });
  after(async () => {
    await site.browser?.close();
    await site.server?.close();
  });
  return site;
}
