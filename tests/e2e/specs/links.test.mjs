// End-to-end: a lab's inputs live in its link (copy link reproduces the experiment on another
// page), results and inputs stay when the visitor leaves a lab and comes back, and a report
// saves as JSON and CSV.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { openPage } from "../browser.mjs";
import { useSite } from "../harness.mjs";
import { LabPage } from "../pages.mjs";

const site = useSite();

async function open(route, options) {
  const lab = new LabPage(await openPage(site.browser, options), site.server.url);
  await lab.open(route);
  return lab;
}

const hashParams = (url) => new URLSearchParams(new URL(url).hash.split("?")[1] ?? "");

test("a changed input goes into the link, and the link reproduces the run on a new page", async () => {
  const lab = await open("processes", { permissions: ["clipboard-read", "clipboard-write"] });
  await lab.waitForPool();
  await lab.page.fill("[data-testid=pr-increments]", "2500");
  await lab.page.waitForFunction(() => location.hash.includes("increments"));
  assert.equal(hashParams(lab.page.url()).get("isolation/increments"), "2500");

  await lab.page.click("[data-testid=copy-link]");
  await lab.page.waitForSelector("[data-testid=copy-link-status]:has-text('link copied')");
  const copied = await lab.page.evaluate(() => navigator.clipboard.readText());
  assert.equal(copied, lab.page.url(), "the copied link is the page's address with its inputs");

  const other = await open(new URL(copied).hash.slice(2));
  await other.waitForPool();
  assert.equal(await other.page.inputValue("[data-testid=pr-increments]"), "2500");
  await other.page.click("[data-testid=pr-isolation] [data-testid=run]");
  await other.page.waitForSelector("[data-testid=pr-isolation-summary]", { timeout: 60000 });
  const counters = await other.page.$$eval("[data-testid=pr-process-counter]", (dds) => dds.map((d) => d.textContent.trim()));
  assert.deepEqual(counters, ["2500", "2500"], "the linked run counted to the linked value");

  // Back to the default: the input leaves the link.
  await other.page.fill("[data-testid=pr-increments]", "1000");
  await other.page.waitForFunction(() => !location.hash.includes("increments"));
  lab.assertNoProblems();
  other.assertNoProblems();
});

test("leaving a lab and coming back keeps its inputs and its last result", async () => {
  const lab = await open("processes");
  await lab.waitForPool();
  await lab.page.fill("[data-testid=pr-increments]", "3000");
  await lab.page.click("[data-testid=pr-isolation] [data-testid=run]");
  await lab.page.waitForSelector("[data-testid=pr-isolation-summary]", { timeout: 60000 });
  await lab.page.click("nav >> text=Cores");
  await lab.page.waitForSelector("[data-testid=threads]");
  await lab.page.fill("[data-testid=max-iter]", "300");
  await lab.page.click("nav >> text=Processes");
  await lab.page.waitForSelector("[data-testid=pr-isolation-summary]");
  assert.equal(await lab.page.inputValue("[data-testid=pr-increments]"), "3000");
  assert.equal(await lab.text("pr-thread-counter"), "6000", "the result of the run before leaving");
  await lab.page.click("nav >> text=Cores");
  assert.equal(await lab.page.inputValue("[data-testid=max-iter]"), "300");
  assert.equal(hashParams(lab.page.url()).get("max_iter"), "300", "a kept input is in the link again");
  lab.assertNoProblems();
});

test("links carry the explorer's program and a bad linked value is refused by name on Run", async () => {
  const lab = await open("explorer");
  await lab.page.selectOption("[data-testid=preset]", "deadlock-ab-ba");
  await lab.page.waitForFunction(() => location.hash.includes("preset=deadlock-ab-ba"));
  const program = "shared x = 0\n\nthread a {\n    x = x + 1\n}\n\nthread b {\n    x = x + 2\n}\n";
  await lab.page.fill("[data-testid=source]", program);
  await lab.page.waitForFunction(() => location.hash.includes("program="));
  const params = hashParams(lab.page.url());
  assert.equal(params.get("program"), program);
  assert.equal(params.get("preset"), null, "an edited program is no preset");
  const other = await open(new URL(lab.page.url()).hash.slice(2));
  assert.equal(await other.page.inputValue("[data-testid=source]"), program);

  const bad = await open("processes?isolation%2Fincrements=-5");
  await bad.waitForPool();
  assert.equal(await bad.page.inputValue("[data-testid=pr-increments]"), "-5");
  await bad.page.click("[data-testid=pr-isolation] [data-testid=run]");
  const error = await bad.page.textContent("[data-testid=pr-isolation] [data-testid=error]");
  assert.match(error, /increments/, `the error names the field: ${error}`);
  assert.match(error, /from 1 to 1000000/, `and its range: ${error}`);
  lab.assertNoProblems();
});

test("a report saves as JSON and as a CSV table", async () => {
  const lab = await open("processes");
  await lab.waitForPool();
  await lab.page.click("[data-testid=pr-pool] [data-testid=run]");
  await lab.page.waitForSelector("[data-testid=pr-pool-summary]", { timeout: 60000 });
  const section = lab.page.locator("[data-testid=pr-pool]");
  const [jsonFile] = await Promise.all([lab.page.waitForEvent("download"), section.locator("[data-testid=save-json]").click()]);
  assert.equal(jsonFile.suggestedFilename(), "concurrency-lab-processes.json");
  const report = JSON.parse(await readFile(await jsonFile.path(), "utf8"));
  const [csvFile] = await Promise.all([lab.page.waitForEvent("download"), section.locator("[data-testid=save-csv]").click()]);
  assert.equal(csvFile.suggestedFilename(), "concurrency-lab-processes.csv");
  const lines = (await readFile(await csvFile.path(), "utf8")).trim().split("\r\n");
  const header = lines[0].split(",");
  // The longest list of records in the report is its per-task results: one row each.
  assert.equal(lines.length - 1, report.results.length);
  assert.deepEqual(header.slice(0, Object.keys(report.results[0]).length), Object.keys(report.results[0]));
  const task = header.indexOf("task");
  assert.deepEqual(lines.slice(1).map((l) => Number(l.split(",")[task])), report.results.map((r) => r.task));
  lab.assertNoProblems();
});
