// The first to settle wins the race.
const a = new Promise((resolve) => setTimeout(() => resolve("a"), 50));
const b = new Promise((resolve) => setTimeout(() => resolve("b"), 20));
Promise.race([a, b]).then((winner) => console.log("winner", winner));
Promise.race([Promise.resolve("sync"), b]).then((w) => console.log("already settled wins:", w));
