// Promise.all rejects with the first rejection.
Promise.all([
  new Promise((resolve) => setTimeout(() => resolve("late"), 20)),
  new Promise((_, reject) => setTimeout(() => reject(new Error("early failure")), 10)),
])
  .then((v) => console.log("never", v))
  .catch((e) => console.log("all rejected: " + e.message));
