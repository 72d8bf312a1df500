// Each iteration of a for-let loop has its own i, captured by its callback.
for (let i = 0; i < 3; i++) {
  setTimeout(() => console.log("timer", i), 10 * (3 - i));
  Promise.resolve().then(() => console.log("micro", i));
}
