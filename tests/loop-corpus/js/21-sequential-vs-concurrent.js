// Awaiting one after another waits in turn; starting both first overlaps them.
function delay(ms, value) {
  return new Promise((resolve) => setTimeout(() => resolve(value), ms));
}
async function sequential() {
  const a = await delay(20, "s-a");
  const b = await delay(20, "s-b");
  console.log("sequential", a, b);
}
async function concurrent() {
  const pa = delay(20, "c-a");
  const pb = delay(20, "c-b");
  console.log("concurrent", await pa, await pb);
}
sequential();
concurrent();
