// After each timer's callback, its microtasks run before the next timer.
setTimeout(() => {
  console.log("t1");
  Promise.resolve().then(() => console.log("t1 micro"));
}, 10);
setTimeout(() => {
  console.log("t2");
  queueMicrotask(() => console.log("t2 micro"));
}, 10);
