// Launches Debian's Chromium through playwright-core with the flags this machine needs
// (no sandbox as root; no background networking on a closed network).
import { chromium } from "playwright-core";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";

export async function launch() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ],
  });
}

/**
 * A fresh page that collects console errors and page errors into `page.problems`;
 * `contextOptions` go to Playwright (e.g. `{ serviceWorkers: "block" }`).
 */
export async function openPage(browser, contextOptions = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...contextOptions });
  const page = await context.newPage();
  page.problems = [];
  page.on("console", (msg) => { if (msg.type() === "error") page.problems.push(`console: ${msg.text()}`); });
  page.on("pageerror", (err) => page.problems.push(`pageerror: ${err.message}`));
  return page;
}

export const ARTIFACTS = join(import.meta.dirname, "artifacts");
export const scratchDir = () => mkdtempSync(join(tmpdir(), "lab-e2e-"));
