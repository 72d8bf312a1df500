// Returning a promise from a then callback adopts it through a thenable job: two extra ticks.
Promise.resolve()
  .then(() => {
    console.log("x1");
    return Promise.resolve("x");
  })
  .then((v) => console.log("x2 got " + v));
Promise.resolve()
  .then(() => console.log("y1"))
  .then(() => console.log("y2"))
  .then(() => console.log("y3"))
  .then(() => console.log("y4"))
  .then(() => console.log("y5"));
