// await of a plain value still yields for one tick.
async function f() {
  console.log("f1");
  const v = await 42;
  console.log("f2", v);
}
async function g() {
  console.log("g1");
  await undefined;
  console.log("g2");
}
f();
g();
Promise.resolve().then(() => console.log("p"));
