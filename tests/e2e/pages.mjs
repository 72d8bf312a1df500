// Page object for lab pages: locators by data-testid, one method per user action.
import assert from "node:assert/strict";

/** Thread states the timelines' legend lists, in life-cycle order (src/model/thread_state.rs). */
export const THREAD_STATES = ["new", "idle", "working", "blocked", "waiting", "sleeping", "dead"];

/**
 * The smallest text drawn in any chart of the page, in on-screen px (font size × the SVG's
 * scale), with the chart it is in: `{ px, chart }`, or `{ px: Infinity }` without charts.
 */
export async function smallestChartText(page) {
  return page.$$eval("main svg[viewBox]", (svgs) => svgs.reduce((least, svg) => {
    const scale = svg.getBoundingClientRect().width / Number(svg.getAttribute("viewBox").split(" ")[2]);
    for (const text of svg.querySelectorAll("text")) {
      if (text.getBoundingClientRect().height === 0) continue;
      const px = parseFloat(getComputedStyle(text).fontSize) * scale;
      if (px < least.px) least = { px, chart: svg.closest("[data-testid]")?.dataset.testid ?? svg.getAttribute("aria-label") };
    }
    return least;
  }, { px: Infinity }));
}

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
    await this.timelineSettled();
  }

  /** Waits for the frame after a run, when the timeline trades its live picture for full detail. */
  async timelineSettled() {
    await this.page.waitForSelector("[data-testid=timeline-live]", { state: "detached", timeout: 10000 });
  }

  /** `window.lab.run(id, params)` in the page; resolves to its report. */
  async consoleRun(id, params) {
    return this.page.evaluate(([id, params]) => window.lab.run(id, params), [id, params]);
  }

  /** The message `window.lab.run(id, params)` rejects with, or "resolved" if it does not reject. */
  async consoleError(id, params) {
    return this.page.evaluate(([id, params]) => window.lab.run(id, params).then(() => "resolved", (e) => e.message), [id, params]);
  }

  async machine() {
    return this.page.evaluate(() => ({ ...window.lab.machine(), hardwareConcurrency: navigator.hardwareConcurrency }));
  }

  /** The state names of the timeline's legend, in order (empty without a legend). */
  async legendStates() {
    await this.timelineSettled();
    return this.page.$$eval("[data-testid=timeline] .legend li strong", (items) => items.map((s) => s.textContent.trim()));
  }

  /** The thread state of every timeline bar coloured by state (`state-working` → "working"). */
  /**
   * The legend lists exactly the states the view draws, in life-cycle order: every bar's state
   * is in it, and a state with no span is not. Returns the legend.
   */
  async assertLegendFromBars(spanStates = null) {
    const legend = await this.legendStates();
    const bars = new Set(await this.barStates());
    assert.deepEqual(legend, THREAD_STATES.filter((s) => legend.includes(s)), `legend order: ${legend}`);
    for (const state of bars) assert.ok(legend.includes(state), `a ${state} bar is missing from the legend ${legend}`);
    if (spanStates) assert.deepEqual(legend, THREAD_STATES.filter((s) => spanStates.has(s)));
    return legend;
  }

  async barStates() {
    await this.timelineSettled();
    return this.page.$$eval("[data-testid=timeline] rect.bar", (bars) => bars
      .map((bar) => [...bar.classList].find((c) => c.startsWith("state-")))
      .filter(Boolean)
      .map((c) => c.slice("state-".length)));
  }

  /** How many "spans were not recorded" notices the page shows. */
  /** Starts recording the gaps between animation frames (the page's smoothness). */
  async startFrameProbe() {
    await this.page.evaluate(() => {
      window.__frames = { longest: 0, count: 0, on: true };
      let last = performance.now();
      const tick = (t) => {
        window.__frames.longest = Math.max(window.__frames.longest, t - last);
        window.__frames.count += 1;
        last = t;
        if (window.__frames.on) requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    });
  }

  /** Stops the probe: `{longest, count}`, the longest gap between frames in ms. */
  async stopFrameProbe() {
    return this.page.evaluate(() => {
      window.__frames.on = false;
      return { longest: window.__frames.longest, count: window.__frames.count };
    });
  }

  async droppedSpanNotices() {
    return this.page.locator("[data-testid=dropped-spans]").count();
  }

  assertNoProblems() {
    assert.deepEqual(this.page.problems, [], "console errors or page errors");
  }
}

// Page object for the event-loop lab: its three sections, one method per user action.
export class EventLoopPage extends LabPage {
  async fill(testid, value) {
    await this.page.fill(`[data-testid=${testid}]`, String(value));
  }

  /** Runs section 1 from its form and waits for the summary. */
  async runWaits({ tasks, wait_ms }) {
    await this.fill("aw-tasks", tasks);
    await this.fill("aw-wait_ms", wait_ms);
    await this.page.click("[data-testid=aw-run]");
    await this.page.waitForSelector("[data-testid=aw-summary]", { timeout: 60000 });
    await this.page.waitForSelector("[data-testid=aw-run]:not([disabled])", { timeout: 60000 });
  }

  async taskStates() {
    return this.page.$$eval("[data-testid=aw-states] li", (items) => items.map((li) => li.dataset.state));
  }

  /** Runs all three modes of section 2 from the UI and waits until the table is full. */
  async runAllBlockModes(work_ms) {
    await this.fill("bl-work-ms", work_ms);
    await this.page.click("[data-testid=bl-run-all]");
    await this.page.waitForFunction(
      () => document.querySelector("[data-testid=bl-offload-wall]")?.textContent.includes("ms")
        && !document.querySelector("[data-testid=bl-run-all]").disabled,
      null, { timeout: 60000 });
  }

  async chooseProgram(id) {
    await this.page.selectOption("[data-testid=model-preset]", id);
    await this.page.waitForFunction((id) => document.querySelector("[data-testid=model-preset]").value === id, id);
  }

  async step(times = 1) {
    for (let i = 0; i < times; i++) await this.page.click("[data-testid=model-step]");
  }

  /** Presses a key with the model's stage focused. */
  async pressOnStage(key) {
    await this.page.focus("[data-testid=model-stage]");
    await this.page.keyboard.press(key);
  }

  async stepCount() {
    return Number((await this.text("model-step-count")).replace(/\D/g, ""));
  }

  /** The highlighted line in each listing ("" where none is lit). */
  async currentLines() {
    return this.page.evaluate(() => {
      const lit = (lang) => document.querySelector(`[data-testid=listing-${lang}] li.current`)?.textContent ?? "";
      return { python: lit("python"), javascript: lit("javascript") };
    });
  }

  async modelOutput() {
    return this.page.$$eval("[data-testid=model-output] li", (items) => items.map((li) => li.textContent));
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

// Page object for the GIL lab: the 1-vs-N run, the rules table and the scheduling model.
export class GilPage extends LabPage {
  async choose(testid, value) {
    await this.page.selectOption(`[data-testid=${testid}]`, value);
  }

  async fill(testid, value) {
    await this.page.locator(`[data-testid=${testid}]`).fill(String(value));
  }

  /** Clicks the run's button and waits for its summary. */
  async runThreads() {
    await this.page.click("[data-testid=gil-run] [data-testid=run]");
    await this.page.waitForSelector("[data-testid=gil-run] [data-testid=cancel][disabled]", { timeout: 120000 });
    await this.timelineSettled();
    await this.page.waitForSelector("[data-testid=gil-summary]");
  }

  /** The model's total for a policy, in seconds, as its caption prints it. */
  async modelSeconds(policy) {
    const caption = await this.page.textContent(`[data-testid=sched-${policy}] figcaption`);
    return parseFloat(caption.match(/: ([\d.]+) s/)[1]);
  }
}
