// End-to-end: every experiment rejects bad input the same way. The table of cases is built
// from lab.help() (the very definitions that validate), so a new experiment is covered the
// day it is registered: out of range, wrong type, fractional, null, too long, unknown field.
// Each rejection names the experiment, the field and its range, and the page keeps working.
import { test } from "node:test";
import assert from "node:assert/strict";
import { openPage } from "../browser.mjs";
import { useSite } from "../harness.mjs";
import { LabPage } from "../pages.mjs";

const site = useSite();

/** Bad values for one parameter, each with what its rejection must say. */
function badValues(row) {
  const range = row.range;
  const int = range.match(/^integer (-?\d+)\.\.=(-?\d+)/);
  if (int) {
    const [min, max] = [Number(int[1]), Number(int[2])];
    const says = new RegExp(`${row.parameter} must be an integer between ${min} and ${max}`);
    // Past the top only where JavaScript can still tell max + 1 from max (seeds reach 2^53).
    const above = [max + 1, 1e18].filter((v) => v > max && (Number.isSafeInteger(v) || v >= 2 ** 60));
    return [[min - 1, says], ...above.map((v) => [v, says]), ["7", says], [1.5, says], [null, says]];
  }
  if (range.startsWith("one of")) {
    return [["no-such-option", new RegExp(`${row.parameter} must be one of`)], [3, new RegExp(`${row.parameter} must be one of`)]];
  }
  if (range.startsWith("true or false")) {
    return [["yes", new RegExp(`${row.parameter} must be true or false`)], [1, new RegExp(`${row.parameter} must be true or false`)]];
  }
  const text = range.match(/text of at most (\d+) characters/);
  if (text) {
    const says = new RegExp(`${row.parameter} must be a text of at most ${text[1]} characters`);
    return [[12345, says], ["x".repeat(Number(text[1]) + 1), says]];
  }
  throw new Error(`no bad values for ${row.experiment}.${row.parameter} (${range})`);
}

test("every experiment rejects bad input naming the field and its range, and the page keeps working", async () => {
  const lab = new LabPage(await openPage(site.browser), site.server.url);
  await lab.open("explorer");
  await lab.waitForPool();
  const rows = await lab.page.evaluate(() => window.lab.help());
  const experiments = [...new Set(rows.map((r) => r.experiment))];
  assert.deepEqual(experiments, await lab.page.evaluate(() => window.lab.labs()), "help covers every experiment");
  let cases = 0;
  for (const id of experiments) {
    const unknown = await lab.consoleError(id, { no_such_field: 1 });
    assert.match(unknown, new RegExp(`^${id}: unknown parameter 'no_such_field'`), id);
    cases += 1;
    for (const row of rows.filter((r) => r.experiment === id && r.parameter)) {
      for (const [value, says] of badValues(row)) {
        const message = await lab.consoleError(id, { [row.parameter]: value });
        assert.match(message, new RegExp(`^${id}: `), `${id}.${row.parameter} = ${JSON.stringify(value)}: ${message}`);
        assert.match(message, says, `${id}.${row.parameter} = ${JSON.stringify(value).slice(0, 40)}: ${message}`);
        cases += 1;
      }
    }
  }
  assert.ok(cases > 150, `${cases} cases`);
  // Nothing broke: a model and a thread experiment still run, and nothing was logged as an error.
  const model = await lab.consoleRun("loop-model", { preset: "print-sum" });
  assert.deepEqual(model.output, ["start", "Compute 1 + 2 ...", "1 + 2 = 3", "end"]);
  const cores = await lab.consoleRun("cores", { threads: 2, max_iter: 100 });
  assert.equal(cores.same_as_baseline, true);
  lab.assertNoProblems();
});
