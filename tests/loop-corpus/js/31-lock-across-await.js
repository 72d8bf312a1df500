// "One thread needs no locks": true between awaits, false across one.
let balance = 0;

async function depositBetweenAwaits(name, n) {
  for (let i = 0; i < 2; i++) {
    balance = balance + n; // no await from read to write: nothing else can run here
    console.log(name, "deposits", n, "->", balance);
    await null;
  }
}

async function depositAcrossAwait(name, n) {
  for (let i = 0; i < 2; i++) {
    const seen = balance;
    console.log(name, "reads", seen);
    await null; // the other function runs here and deposits too
    balance = seen + n;
    console.log(name, "writes", balance);
  }
}

// A lock in a few lines: whoever finds it held waits on a promise; release() hands the
// lock to the first waiter.
let held = false;
const waiting = [];

async function acquire() {
  if (held) {
    await new Promise((resolve) => waiting.push(resolve));
  }
  held = true;
}

function release() {
  const next = waiting.shift();
  if (next) {
    next();
  } else {
    held = false;
  }
}

async function depositWithLock(name, n) {
  for (let i = 0; i < 2; i++) {
    await acquire();
    try {
      const seen = balance;
      await null; // the other function runs, finds the lock held and waits
      balance = seen + n;
      console.log(name, "writes", balance, "holding the lock");
    } finally {
      release();
    }
  }
}

async function race(label, deposit) {
  balance = 0;
  console.log("--", label);
  await Promise.all([deposit("a", 10), deposit("b", 10)]);
  console.log("balance", balance, "of 40");
}

async function main() {
  await race("no await between read and write", depositBetweenAwaits);
  await race("an await between read and write", depositAcrossAwait);
  await race("a lock held across the await", depositWithLock);
}

main();
