// Page object for lab pages: locators by data-testid, one method per user action.
import assert from "node:assert/strict";

export class LabPage {
  constructor(page, baseUrl) {
    this.page = page;
    this.baseUrl = baseUrl;
  }

  async open(route) {
    await this.page.goto(`${this.baseUrl}/#/${route}`);
    await this.page.waitForFunction(() => window.lab !== undefined, null, { timeout: 20000 });
  }

  async waitForPool() {
    await this.page.waitForSelector("[data-testid=pool]:has-text('ready')", { timeout: 30000 });
  }

  async text(testid) {
    return (await this.page.textContent(`[data-testid=${testid}]`)).trim();
  }

  async setThreads(n) {
    await this.page.locator("[data-testid=threads]").fill(String(n));
  }

  /** Clicks Run, waits until the run is over and `resultTestid` is shown. */
  async run(resultTestid = "summary") {
    await this.page.click("[data-testid=run]");
    await this.waitIdle();
    await this.page.waitForSelector(`[data-testid=${resultTestid}]`);
  }

  async waitIdle() {
    await this.page.waitForSelector("[data-testid=cancel][disabled]", { timeout: 60000 });
  }

  assertNoProblems() {
    assert.deepEqual(this.page.problems, [], "console errors or page errors");
  }
}
