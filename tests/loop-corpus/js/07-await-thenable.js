// Awaiting a thenable calls its then from a job, and resumes one tick after it resolves.
const thenable = {
  then(resolve) {
    console.log("then called");
    resolve("from thenable");
  },
};
async function main() {
  console.log("main starts");
  const v = await thenable;
  console.log("main got " + v);
}
main();
Promise.resolve()
  .then(() => console.log("p1"))
  .then(() => console.log("p2"))
  .then(() => console.log("p3"));
console.log("sync end");
