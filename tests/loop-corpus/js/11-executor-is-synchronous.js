// A promise's executor runs at once; resolve only settles it.
console.log("before");
const p = new Promise((resolve) => {
  console.log("executor runs");
  resolve("value");
  console.log("still in executor");
});
p.then((v) => console.log("then: " + v));
console.log("after");
