// Script first, then every microtask, then the timer.
setTimeout(() => console.log("timeout"), 0);
Promise.resolve().then(() => console.log("then"));
queueMicrotask(() => console.log("queueMicrotask"));
console.log("script");
