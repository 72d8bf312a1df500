// An async function resumed by a timer-resolved promise runs before the next timer.
function tick(ms) {
  return new Promise((r) => setTimeout(r, ms));
}
async function loop() {
  for (let i = 1; i <= 3; i++) {
    await tick(10);
    console.log("loop", i);
  }
}
loop();
setTimeout(() => console.log("timer at 10"), 10);
setTimeout(() => console.log("timer at 25"), 25);
