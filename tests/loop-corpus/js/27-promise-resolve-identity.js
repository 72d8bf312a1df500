// Promise.resolve of a promise is the same promise; of a thenable, a new one.
const p = Promise.resolve(1);
console.log(Promise.resolve(p) === p);
const t = { then(r) { r(2); } };
console.log(Promise.resolve(t) === t);
Promise.resolve(t).then((v) => console.log("thenable gave", v));
