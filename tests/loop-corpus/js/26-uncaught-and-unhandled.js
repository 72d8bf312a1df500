// A throw in a timer is reported and the loop goes on; a rejection no one handles is listed.
setTimeout(() => {
  throw new Error("timer failed");
}, 10);
setTimeout(() => console.log("next timer still runs"), 20);
Promise.reject(new Error("nobody listens"));
console.log("script ends");
