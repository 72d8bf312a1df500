// Shared set-up of every spec: serve dist/ with COOP/COEP and launch one browser per file.
import { before, after, afterEach } from "node:test";
import assert from "node:assert/strict";
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
  // A test's pages keep drawing frames and holding their workers after it ends: closed, so
  // the next test's timings do not include their load.
  afterEach(async () => {
    for (const context of site.browser?.contexts() ?? []) await context.close();
  });
  after(async () => {
    await site.browser?.close();
    await site.server?.close();
  });
  return site;
}

/** Asserts |actual − expected| ≤ tolerance, naming both in the message. */
export function assertNear(actual, expected, tolerance, label = "value") {
  assert.ok(Number.isFinite(actual) && Math.abs(actual - expected) <= tolerance,
    `${label}: ${actual} is not within ${tolerance} of ${expected}`);
}

/** The median of numbers, as the labs report it (mean of the middle two for an even count). */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
