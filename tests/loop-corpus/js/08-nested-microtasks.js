// Microtasks queued by microtasks still run before the timer.
setTimeout(() => console.log("timer"), 0);
queueMicrotask(() => {
  console.log("m1");
  queueMicrotask(() => {
    console.log("m1.1");
    queueMicrotask(() => console.log("m1.1.1"));
  });
});
queueMicrotask(() => console.log("m2"));
