// A rejected await throws inside the async function, where try/catch sees it.
async function load(ok) {
  try {
    const v = await (ok ? Promise.resolve("data") : Promise.reject(new Error("offline")));
    console.log("loaded " + v);
  } catch (e) {
    console.log("failed: " + e.message);
  } finally {
    console.log("cleanup " + ok);
  }
}
load(true);
load(false);
console.log("both started");
