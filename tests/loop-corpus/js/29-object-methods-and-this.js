// Methods see their object as this; a counter shared by callbacks.
const counter = {
  count: 0,
  add(n) {
    this.count += n;
    return this.count;
  },
};
setTimeout(() => console.log("timer sees", counter.add(10)), 0);
Promise.resolve().then(() => console.log("micro sees", counter.add(1)));
console.log("script sees", counter.add(100));
