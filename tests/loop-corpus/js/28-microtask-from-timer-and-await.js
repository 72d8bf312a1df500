// An async function resumed by a timer-resolved promise runs before the next timer.
// (Times are far apart so a busy machine's late timers cannot change the order.)
function tick(ms) {
  return new Promise((r) => setTimeout(r, ms));
}
async function loop() {
  for (let i = 1; i <= 3; i++) {
    await tick(50);
    console.log("loop", i);
  }
}
loop();
setTimeout(() => console.log("timer at 50"), 50);
setTimeout(() => console.log("timer at 125"), 125);
