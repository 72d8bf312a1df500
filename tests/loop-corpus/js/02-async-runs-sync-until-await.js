// Calling an async function runs its body at once, up to the first await.
async function work() {
  console.log("work: before await");
  await null;
  console.log("work: after await");
}
console.log("A");
work();
console.log("B");
