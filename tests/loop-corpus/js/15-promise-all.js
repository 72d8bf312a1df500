// Promise.all keeps argument order, whatever order the values arrive in.
const slow = new Promise((resolve) => setTimeout(() => resolve("slow"), 30));
const fast = new Promise((resolve) => setTimeout(() => resolve("fast"), 10));
Promise.all([slow, fast, 3]).then((values) => console.log(values));
Promise.all([]).then((values) => console.log("empty", values));
