// An async function that returns a promise resolves its own promise two ticks later.
async function direct() {
  return 1;
}
async function viaPromise() {
  return Promise.resolve(2);
}
direct().then((v) => console.log("direct", v));
viaPromise().then((v) => console.log("viaPromise", v));
Promise.resolve()
  .then(() => console.log("tick 1"))
  .then(() => console.log("tick 2"))
  .then(() => console.log("tick 3"));
