//! Each lab's idea side by side: the Python idiom the notes use, and a shortened excerpt of
//! the Rust that runs here (the file it comes from is named, so a reader can find it). The
//! explanation in words is translated text (`concept.<lab id>` in `locales/app.yml`).

/// One lab's pair of snippets.
pub struct Idiom {
    pub lab: &'static str,
    pub python: &'static str,
    pub rust: &'static str,
    /// Where the Rust excerpt lives.
    pub rust_file: &'static str,
}

/// The idiom of lab `id`.
pub fn idiom(id: &str) -> Option<&'static Idiom> {
    IDIOMS.iter().find(|i| i.lab == id)
}

pub const IDIOMS: [Idiom; 7] = [
    Idiom {
        lab: "cores",
        python: "\
from multiprocessing import Pool

with Pool(4) as pool:
    rows = pool.map(render_row, range(height))",
        rust: "\
pool::scope(|scope| {
    for task in 0..params.threads {
        scope.spawn(move |_| {
            // each worker takes the next chunk of rows
            let chunk = next_chunk.fetch_add(1, Ordering::Relaxed);
            /* render it … */
        });
    }
});",
        rust_file: "src/runtime/labs/cores.rs",
    },
    Idiom {
        lab: "shared-memory",
        python: "\
lock = threading.Lock()

def deposit(n):
    global balance
    with lock:
        balance = balance + n",
        rust: "\
// unsynchronised: read, then write (two steps)
let seen = balance.load(Ordering::Relaxed);
balance.swap(seen + n, Ordering::Relaxed);
// with the lock: nobody runs in between
lock.acquire(actor, LOCK_TIMEOUT_MS)?;
/* … the same two steps … */
lock.release(actor)?;",
        rust_file: "src/runtime/labs/shared_memory/race.rs",
    },
    Idiom {
        lab: "gil",
        python: "\
import sys, threading
sys.setswitchinterval(0.005)  # 5 ms, CPython's default
threads = [threading.Thread(target=count) for _ in range(4)]
for t in threads: t.start()
for t in threads: t.join()",
        rust: "\
// a waiting thread asks the holder to drop the GIL;
// the holder checks between bytecodes and hands over
if gil.drop_request.load(Ordering::Acquire) {
    gil.hand_over(actor, limit_ms)?;
}",
        rust_file: "src/runtime/labs/gil.rs",
    },
    Idiom {
        lab: "processes",
        python: "\
from multiprocessing import Process, Pool

p = Pool(5)
results = p.map(square, range(10))  # copies go in, copies come back",
        rust: "\
let workers = Process::spawn_many(\"pool-worker\", processes, 0).await?;
// a call sends a copy of the input and awaits a copy of the answer
let answer = process.call(\"square\", input, wait + TASK_SLACK_MS).await;",
        rust_file: "src/runtime/labs/processes.rs",
    },
    Idiom {
        lab: "io",
        python: "\
import select
inputs = [sock, conn1, conn2]
r, w, e = select.select(inputs, [], [])  # wait until one is readable
for s in r:
    data = s.recv(1024)",
        rust: "\
// thread per connection: one blocked worker per request, all at once
let workers = Process::spawn_many(\"io-connection\", n, 0).await?;
let runs = futures::future::try_join_all(
    workers.iter().zip(&all)
        .map(|(p, url)| blocked_requests(p, std::slice::from_ref(url), limit)),
).await;",
        rust_file: "src/runtime/labs/io.rs",
    },
    Idiom {
        lab: "explorer",
        python: "\
def t1():
    global balance
    balance = balance + 5   # load, add, store: three steps
    balance = balance - 5",
        rust: "\
// depth first: take the next thread not yet tried from this
// state, run its one atomic step, and look at the new state
let thread = frame.todo.trailing_zeros() as usize;
frame.todo &= !(1u8 << thread);
child.clone_from(&frame.words);
let enabled = match step_child(code, &mut child, thread, /* … */) {
    Child::Explore(enabled) => enabled,  // go deeper
    Child::Ended => continue,            // an ending: recorded
    Child::Stop => return,
};",
        rust_file: "src/model/labs/explorer/search/dfs.rs",
    },
    Idiom {
        lab: "event-loop",
        python: "\
import asyncio

async def fetch(i):
    await asyncio.sleep(1)   # the loop runs others meanwhile
    return i

async def main():
    return await asyncio.gather(*(fetch(i) for i in range(10)))

asyncio.run(main())",
        rust: "\
// a task on the browser's event loop: spawn_local returns at
// once, and the loop polls the future when its timer fires
spawn_local(async move {
    TimeoutFuture::new(wait_ms).await;
    /* … */
});",
        rust_file: "src/runtime/labs/event_loop.rs",
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_lab_has_an_idiom_whose_rust_file_exists() {
        for lab in crate::model::labs::all() {
            let idiom = idiom(lab.id).unwrap_or_else(|| panic!("{} has no idiom", lab.id));
            assert!(!idiom.python.trim().is_empty() && !idiom.rust.trim().is_empty());
            let path = concat!(env!("CARGO_MANIFEST_DIR"), "/").to_string() + idiom.rust_file;
            assert!(
                std::path::Path::new(&path).exists(),
                "{}: {} does not exist",
                lab.id,
                idiom.rust_file
            );
        }
        assert_eq!(IDIOMS.len(), crate::model::labs::all().len());
    }
}
