// finally sees no value, passes the outcome on, and costs extra ticks.
Promise.resolve("ok")
  .finally(() => console.log("finally 1"))
  .then((v) => console.log("then after finally:", v));
Promise.reject(new Error("no"))
  .finally(() => console.log("finally 2"))
  .catch((e) => console.log("catch after finally:", e.message));
Promise.resolve()
  .then(() => console.log("c1"))
  .then(() => console.log("c2"))
  .then(() => console.log("c3"))
  .then(() => console.log("c4"));
