// Records what a real JavaScript engine (this machine's Node) prints for each program of
// tests/loop-corpus/js, through the same harness the site's real-run Worker uses, into
// tests/loop-corpus/js/expected.json. Run: node scripts/js-corpus.mjs
import { readdirSync, readFileSync, writeFileSync, mkdtempSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { harness } from "../src/runtime/labs/js_real.js";

const dir = join(import.meta.dirname, "..", "tests", "loop-corpus", "js");
const tmp = mkdtempSync(join(tmpdir(), "js-corpus-"));
const expected = { engine: `node ${process.version}`, programs: {} };
for (const file of readdirSync(dir).filter((f) => f.endsWith(".js")).sort()) {
  const script = join(tmp, file.replace(/\.js$/, ".cjs"));
  writeFileSync(script, harness(readFileSync(join(dir, file), "utf8"), "node"));
  const lines = execFileSync(process.execPath, [script], { encoding: "utf8", timeout: 10000 }).trim().split("\n");
  expected.programs[file] = JSON.parse(lines[lines.length - 1]);
}
writeFileSync(join(dir, "expected.json"), JSON.stringify(expected, null, 1) + "\n");
console.log(`${Object.keys(expected.programs).length} programs recorded with ${expected.engine}`);
