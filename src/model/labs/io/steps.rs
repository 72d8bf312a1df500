//! The five IO models as a model on a virtual clock, one step at a time: what a server's
//! thread does, what each connection's kernel buffer holds, and which call made it so.
//!
//! The workload is the real run's (each connection's delay from the seed), so the page can
//! step through it slowly beside the measurement and tests can check it exactly. Copying
//! costs no time here: the model shows the order of events, the measurement their cost.

use super::IO_MODELS;

/// Where a connection is in its two phases.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    /// No request yet.
    Unsent,
    /// Request out, waiting for data (phase 1).
    Waiting,
    /// Data is in the kernel's buffer, not yet copied into the program (phase 2 pending).
    InKernel,
    /// Copied and handled.
    Copied,
}

/// What a handling thread is doing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Doing {
    /// Not started yet.
    Idle,
    /// Blocked in a call: it can do nothing else.
    Blocked,
    /// Running, checking sockets that have nothing.
    Polling,
    /// Asleep in one wait for many sockets.
    Asleep,
    /// Copying and handling data.
    Handling,
    /// The loop is free for other work (async: the kernel or browser does the waiting).
    Free,
    /// Its work is done.
    Done,
}

impl Doing {
    /// What the thread is doing, in the page's language.
    pub fn label(self) -> String {
        match self {
            Doing::Idle => t!("io.model.doing_idle"),
            Doing::Blocked => t!("io.model.doing_blocked"),
            Doing::Polling => t!("io.model.doing_polling"),
            Doing::Asleep => t!("io.model.doing_asleep"),
            Doing::Handling => t!("io.model.doing_handling"),
            Doing::Free => t!("io.model.doing_free"),
            Doing::Done => t!("io.model.doing_done"),
        }
        .to_string()
    }

    /// Whether the thread holds a core in this state.
    pub fn on_cpu(self) -> bool {
        matches!(self, Doing::Polling | Doing::Handling)
    }
}

/// The notes' restaurant: one caption per model, in English and Chinese.
pub const WAITERS: [(&str, &str); 5] = [
    (
        "One waiter stands at one table until its order is up, then goes to the next.",
        "一个服务员守在一张桌旁，这桌好了才去下一桌。",
    ),
    (
        "A waiter for every table, each standing at theirs.",
        "每张桌子一个服务员，各自守着。",
    ),
    (
        "One waiter walks round every table again and again asking \"ready?\".",
        "一个服务员不停地绕着每张桌子问：\"好了吗？\"",
    ),
    (
        "One waiter sits down until some tables raise a hand, then serves exactly those.",
        "一个服务员坐着等，哪几桌举手就去哪几桌。",
    ),
    (
        "The kitchen brings each dish to its table and rings a bell; the waiter is free meanwhile.",
        "后厨把菜直接送到桌上再摇铃通知；服务员这期间可以做别的。",
    ),
];

/// One model's state after some steps.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ModelState {
    pub connections: Vec<Phase>,
    /// One entry per handling thread (thread-per-connection has one per connection).
    pub threads: Vec<Doing>,
    /// The model's latest step, if it has taken one.
    pub last: Option<usize>,
}

/// One event of one model.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step {
    pub at_ms: u32,
    /// Index into [`IO_MODELS`].
    pub model: usize,
    pub what: String,
    /// The Python line that makes this happen in the notes' idiom.
    pub python: &'static str,
    changes: Vec<Change>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Change {
    Phase(usize, Phase),
    Thread(usize, Doing),
}

/// Every model's steps, merged on the virtual clock, and the state after each.
#[derive(Clone, Debug, PartialEq)]
pub struct Walkthrough {
    pub delays_ms: Vec<u32>,
    pub steps: Vec<Step>,
    /// `states[k]` is every model after the first `k` steps (`states[0]`: before any).
    states: Vec<Vec<ModelState>>,
}

/// Descriptor numbers as a server would see them: 3 is the listening socket.
pub fn fd(connection: usize) -> usize {
    connection + 4
}

fn fd_list(connections: &[usize]) -> String {
    let fds: Vec<String> = connections
        .iter()
        .map(|&c| format!("fd {}", fd(c)))
        .collect();
    fds.join(", ")
}

/// Builds one model's steps in time order.
struct Script {
    model: usize,
    steps: Vec<Step>,
}

impl Script {
    fn new(model: usize) -> Script {
        Script {
            model,
            steps: Vec::new(),
        }
    }

    fn step(&mut self, at_ms: u32, what: String, python: &'static str, changes: Vec<Change>) {
        self.steps.push(Step {
            at_ms,
            model: self.model,
            what,
            python,
            changes,
        });
    }
}

/// Connections grouped by arrival time, earliest first; ties by connection.
fn arrival_groups(delays: &[u32]) -> Vec<(u32, Vec<usize>)> {
    let mut order: Vec<usize> = (0..delays.len()).collect();
    order.sort_by_key(|&c| (delays[c], c));
    let mut groups: Vec<(u32, Vec<usize>)> = Vec::new();
    for c in order {
        match groups.last_mut() {
            Some((at, group)) if *at == delays[c] => group.push(c),
            _ => groups.push((delays[c], vec![c])),
        }
    }
    groups
}

fn blocking(delays: &[u32]) -> Vec<Step> {
    use Change::*;
    let mut s = Script::new(0);
    let mut t = 0;
    for (c, &delay) in delays.iter().enumerate() {
        s.step(
            t,
            t!("io.model.blocking_send", fd = fd(c)).to_string(),
            "data = sock.recv(1024)",
            vec![Phase(c, self::Phase::Waiting), Thread(0, Doing::Blocked)],
        );
        t += delay;
        s.step(
            t,
            t!("io.model.blocking_arrives", fd = fd(c)).to_string(),
            "data = sock.recv(1024)",
            vec![Phase(c, self::Phase::InKernel)],
        );
        let last = c + 1 == delays.len();
        s.step(
            t,
            t!("io.model.blocking_returns", fd = fd(c)).to_string(),
            "handle(data)",
            vec![
                Phase(c, self::Phase::Copied),
                Thread(0, if last { Doing::Done } else { Doing::Handling }),
            ],
        );
    }
    s.steps
}

fn thread_per_connection(delays: &[u32]) -> Vec<Step> {
    use Change::*;
    let mut s = Script::new(1);
    let n = delays.len();
    s.step(
        0,
        t!("io.model.threads_start", n = n).to_string(),
        "Thread(target=serve, args=(sock,)).start()",
        (0..n)
            .flat_map(|c| [Phase(c, self::Phase::Waiting), Thread(c, Doing::Blocked)])
            .collect(),
    );
    for (at, group) in arrival_groups(delays) {
        for c in group {
            s.step(
                at,
                t!(
                    "io.model.threads_wake",
                    fd = fd(c),
                    thread = crate::model::thread_state::thread_name(c as u32)
                )
                .to_string(),
                "data = sock.recv(1024)",
                vec![Phase(c, self::Phase::InKernel), Thread(c, Doing::Handling)],
            );
            s.step(
                at,
                t!("io.model.threads_end", fd = fd(c)).to_string(),
                "handle(data)",
                vec![Phase(c, self::Phase::Copied), Thread(c, Doing::Done)],
            );
        }
    }
    s.steps
}

/// The three one-thread models share their shape: all requests out at once, then each
/// group of arrivals is noticed and copied. They differ in how the thread waits and is told.
fn one_thread(model: usize, delays: &[u32]) -> Vec<Step> {
    use Change::*;
    let mut s = Script::new(model);
    let n = delays.len();
    let all_waiting = |thread: Doing| {
        let mut changes: Vec<Change> = (0..n).map(|c| Phase(c, self::Phase::Waiting)).collect();
        changes.push(Thread(0, thread));
        changes
    };
    let (waiting, start, start_py) = match model {
        2 => (
            Doing::Polling,
            t!("io.model.polling_start", n = n).to_string(),
            "sock.setblocking(False)",
        ),
        3 => (
            Doing::Asleep,
            t!("io.model.select_start", n = n).to_string(),
            "r, _, _ = select.select(socks, [], [])",
        ),
        _ => (
            Doing::Free,
            t!("io.model.async_start", n = n).to_string(),
            "await asyncio.gather(*(fetch(u) for u in urls))",
        ),
    };
    s.step(0, start, start_py, all_waiting(waiting));
    let groups = arrival_groups(delays);
    let mut left = n;
    for (at, group) in groups {
        left -= group.len();
        let after = if left == 0 { Doing::Done } else { waiting };
        if model == 4 {
            // Async IO: the program is told only when both phases are over.
            for (i, &c) in group.iter().enumerate() {
                let mut changes = vec![
                    Phase(c, self::Phase::InKernel),
                    Phase(c, self::Phase::Copied),
                ];
                let done = i + 1 == group.len();
                changes.push(Thread(0, if done { after } else { Doing::Handling }));
                s.step(
                    at,
                    t!("io.model.async_done", fd = fd(c)).to_string(),
                    "data = await response",
                    changes,
                );
            }
            continue;
        }
        s.step(
            at,
            t!("io.model.arrives", fds = fd_list(&group)).to_string(),
            if model == 2 {
                "except BlockingIOError: continue"
            } else {
                "r, _, _ = select.select(socks, [], [])"
            },
            group
                .iter()
                .map(|&c| Phase(c, self::Phase::InKernel))
                .collect(),
        );
        let noticed = if model == 2 {
            t!("io.model.polling_finds", fds = fd_list(&group))
        } else {
            t!("io.model.select_wakes", fds = fd_list(&group))
        }
        .to_string();
        s.step(
            at,
            noticed,
            if model == 2 {
                "data = sock.recv(1024)"
            } else {
                "for sock in r:"
            },
            vec![Thread(0, Doing::Handling)],
        );
        for (i, &c) in group.iter().enumerate() {
            let mut changes = vec![Phase(c, self::Phase::Copied)];
            if i + 1 == group.len() {
                changes.push(Thread(0, after));
            }
            let then = match (after, model) {
                (Doing::Done, _) => t!("io.model.then_all_handled").to_string(),
                (_, 2) => t!("io.model.then_check_again", left = left).to_string(),
                _ => t!("io.model.then_select_again", left = left).to_string(),
            };
            s.step(
                at,
                t!(
                    "io.model.recv_copies",
                    fd = fd(c),
                    then = if i + 1 == group.len() {
                        then.as_str()
                    } else {
                        ""
                    }
                )
                .to_string(),
                "data = sock.recv(1024)",
                changes,
            );
        }
    }
    s.steps
}

impl Walkthrough {
    /// The five models on connections whose data arrives `delays_ms[i]` after the request.
    pub fn new(delays_ms: &[u32]) -> Walkthrough {
        let mut steps: Vec<Step> = blocking(delays_ms);
        steps.extend(thread_per_connection(delays_ms));
        for model in 2..IO_MODELS.len() {
            steps.extend(one_thread(model, delays_ms));
        }
        // Stable: each model keeps its own order; at equal times, models in notes order.
        steps.sort_by_key(|s| s.at_ms);
        let n = delays_ms.len();
        let threads = |model: usize| if model == 1 { n.max(1) } else { 1 };
        let mut state: Vec<ModelState> = (0..IO_MODELS.len())
            .map(|m| ModelState {
                connections: vec![Phase::Unsent; n],
                threads: vec![Doing::Idle; threads(m)],
                last: None,
            })
            .collect();
        let mut states = vec![state.clone()];
        for (k, step) in steps.iter().enumerate() {
            let model = &mut state[step.model];
            for change in &step.changes {
                match *change {
                    Change::Phase(c, phase) => model.connections[c] = phase,
                    Change::Thread(t, doing) => model.threads[t] = doing,
                }
            }
            model.last = Some(k);
            states.push(state.clone());
        }
        Walkthrough {
            delays_ms: delays_ms.to_vec(),
            steps,
            states,
        }
    }

    /// Every model after the first `taken` steps (clamped to the last).
    pub fn state(&self, taken: usize) -> &[ModelState] {
        &self.states[taken.min(self.steps.len())]
    }

    /// The virtual time after the first `taken` steps.
    pub fn clock_ms(&self, taken: usize) -> u32 {
        match taken.min(self.steps.len()) {
            0 => 0,
            k => self.steps[k - 1].at_ms,
        }
    }

    /// When each model has copied its last connection's data.
    pub fn finish_ms(&self) -> Vec<u32> {
        (0..IO_MODELS.len())
            .map(|m| {
                self.steps
                    .iter()
                    .filter(|s| s.model == m)
                    .map(|s| s.at_ms)
                    .max()
                    .unwrap_or(0)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::labs::io::model_totals;

    #[test]
    fn three_connections_step_by_step() {
        // Data after 100, 300 and 100 ms: connections 0 and 2 arrive together.
        let walk = Walkthrough::new(&[100, 300, 100]);
        assert_eq!(walk.finish_ms(), vec![500, 300, 300, 300, 300]);
        // Before any step nothing is sent; after all, everything is copied and done.
        assert!(
            walk.state(0)
                .iter()
                .all(|m| m.connections == [Phase::Unsent; 3])
        );
        let end = walk.state(usize::MAX);
        assert!(end.iter().all(|m| m.connections == [Phase::Copied; 3]));
        assert!(
            end.iter()
                .all(|m| m.threads.iter().all(|&t| t == Doing::Done))
        );
        assert_eq!(end[1].threads.len(), 3, "a thread per connection");

        // Multiplexing at t = 100: the kernel buffers fill, one select returns both, two recvs.
        let select: Vec<&Step> = walk.steps.iter().filter(|s| s.model == 3).collect();
        let texts: Vec<&str> = select.iter().map(|s| s.what.as_str()).collect();
        assert_eq!(
            texts,
            [
                "3 requests out; select sleeps until one of 3 sockets is readable",
                "data reaches the kernel buffer of fd 4, fd 6",
                "select wakes and returns [fd 4, fd 6]",
                "recv copies fd 4's data",
                "recv copies fd 6's data; select again over the 1 left",
                "data reaches the kernel buffer of fd 5",
                "select wakes and returns [fd 5]",
                "recv copies fd 5's data; all handled",
            ]
        );
        // Between arrivals the select thread sleeps and the polling one runs.
        let at_200 = walk.steps.iter().rposition(|s| s.at_ms <= 200).unwrap() + 1;
        assert_eq!(walk.clock_ms(at_200), 100);
        let mid = walk.state(at_200);
        assert_eq!(mid[3].threads, [Doing::Asleep]);
        assert_eq!(mid[2].threads, [Doing::Polling]);
        assert_eq!(mid[4].threads, [Doing::Free]);
        assert_eq!(
            mid[3].connections,
            [Phase::Copied, Phase::Waiting, Phase::Copied]
        );
        // Blocking is on its second request, which it cannot tell is still waiting.
        assert_eq!(mid[0].threads, [Doing::Blocked]);
        assert_eq!(
            mid[0].connections,
            [Phase::Copied, Phase::Waiting, Phase::Unsent]
        );
    }

    #[test]
    fn a_step_with_data_in_the_kernel_but_not_copied_exists_except_under_async() {
        let walk = Walkthrough::new(&[50, 20]);
        for model in 0..4 {
            assert!(
                walk.states
                    .iter()
                    .any(|s| s[model].connections.contains(&Phase::InKernel)),
                "{}",
                IO_MODELS[model]
            );
        }
        assert!(
            !walk
                .states
                .iter()
                .any(|s| s[4].connections.contains(&Phase::InKernel)),
            "async IO is told only when both phases are over"
        );
    }

    #[test]
    fn finish_times_agree_with_the_model_totals_on_seeded_workloads() {
        use crate::model::labs::io::IoModelsParams;
        for seed in [0, 1, 7, 99] {
            for connections in [1, 5, 16] {
                let params = IoModelsParams {
                    connections,
                    seed,
                    ..IoModelsParams::default()
                };
                let delays = params.delays_ms();
                let walk = Walkthrough::new(&delays);
                let floats: Vec<f64> = delays.iter().map(|&d| f64::from(d)).collect();
                let totals: Vec<u32> = model_totals(&floats, 0.0)
                    .iter()
                    .map(|t| t.total_ms as u32)
                    .collect();
                assert_eq!(walk.finish_ms(), totals, "seed {seed}, {connections}");
                // Steps are in time order and each model's last step leaves it done.
                assert!(walk.steps.windows(2).all(|w| w[0].at_ms <= w[1].at_ms));
                let end = walk.state(walk.steps.len());
                assert!(
                    end.iter()
                        .all(|m| m.threads.iter().all(|&t| t == Doing::Done))
                );
            }
        }
    }
}
