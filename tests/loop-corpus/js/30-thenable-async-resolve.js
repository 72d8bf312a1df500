// A thenable may resolve later, from a timer; awaiting it waits for that.
const slowThenable = {
  then(resolve, reject) {
    console.log("then called");
    setTimeout(() => resolve("late value"), 20);
  },
};
(async () => {
  const v = await slowThenable;
  console.log("awaited", v);
})();
setTimeout(() => console.log("timer at 10"), 10);
