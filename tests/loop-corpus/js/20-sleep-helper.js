// The usual sleep: a promise resolved by a timer.
function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
async function worker(name, ms) {
  console.log(`${name} starts`);
  await sleep(ms);
  console.log(`${name} done after ${ms} ms`);
  return name;
}
async function main() {
  const results = await Promise.all([worker("A", 30), worker("B", 10), worker("C", 20)]);
  console.log("all done:", results.join(", "));
}
main();
