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

  async run() {
    await this.page.click("[data-testid=run]");
    await this.waitIdle();
    await this.page.waitForSelector("[data-testid=summary]");
  }

  async waitIdle() {
    await this.page.waitForSelector("[data-testid=cancel][disabled]", { timeout: 60000 });
  }

  assertNoProblems() {
    assert.deepEqual(this.page.problems, [], "console errors or page errors");
  }
}

// Page object for the interleaving explorer: editor, explore mode and step mode.
export class ExplorerPage extends LabPage {
  async open() {
    await super.open("explorer");
    await this.page.waitForSelector("[data-testid=step-mode]");
  }

  async pickPreset(id) {
    await this.page.selectOption("[data-testid=preset]", id);
    await this.page.waitForSelector("[data-testid=parse-ok]");
  }

  async typeProgram(text) {
    await this.page.fill("[data-testid=source]", text);
  }

  async setMode(mode) {
    await this.page.selectOption("[data-testid=mode]", mode);
  }

  async setBudget(text) {
    await this.page.fill("[data-testid=budget]", text);
  }

  /** Clicks Explore and waits until the search has finished. */
  async explore() {
    await this.startExplore();
    await this.waitExploreIdle();
    await this.page.waitForSelector("[data-testid=explore-result]");
  }

  async startExplore() {
    await this.page.click("[data-testid=explore]");
  }

  async waitExploreIdle() {
    await this.page.waitForSelector("[data-testid=explore-cancel][disabled]", { timeout: 60000 });
  }

  /** Final states as [{ value: "balance = -8", count: "8 of 70 schedules reach it" }]. */
  async finalStates() {
    return this.page.$$eval("[data-testid=final-state]", (items) => items.map((li) => ({
      value: li.querySelector("[data-testid=final-value]").textContent.trim(),
      count: li.querySelector("[data-testid=final-count]").textContent.trim(),
    })));
  }

  /** Replays the witness of the final state whose value reads exactly `value`. */
  async replayFinalState(value) {
    await this.page.locator("[data-testid=final-state]")
      .filter({ has: this.page.locator("[data-testid=final-value]", { hasText: new RegExp(`^${value}$`) }) })
      .locator("[data-testid=replay]").click();
  }

  async replayDeadlock() {
    await this.page.locator("[data-testid=deadlock] [data-testid=replay]").first().click();
  }

  /** Runs thread `index`'s next atomic step with its button. */
  async step(index) {
    await this.page.click(`[data-testid=step-${index}]`);
  }

  async undo() { await this.page.click("[data-testid=undo]"); }
  async redo() { await this.page.click("[data-testid=redo]"); }
  async jumpToEnd() { await this.page.click("[data-testid=to-end]"); }

  /** Types a schedule such as "t1 t2 t2 t1" and loads it into step mode. */
  async loadSchedule(text) {
    await this.page.fill("[data-testid=schedule-input]", text);
    await this.page.click("[data-testid=load-schedule]");
  }

  async shared(name) {
    return Number(await this.text(`var-${name}`));
  }

  async canStep(index) {
    return this.page.isEnabled(`[data-testid=step-${index}]`);
  }
}
