//! Starting the worker pool once per page, shared by the app shell and `window.lab`.

use crate::runtime::{clock, env, pool};
use futures::FutureExt;
use futures::future::{LocalBoxFuture, Shared};
use std::cell::RefCell;

/// Where the pool stands; shown in the header and awaited by labs that need threads.
#[derive(Clone, Debug, PartialEq)]
pub enum BootState {
    Starting { threads: u32 },
    Ready { threads: u32, ready_ms: f64 },
    Unavailable { reason: String },
}

impl BootState {
    /// Worker threads ready for labs (0 until the pool is up).
    pub fn threads(&self) -> u32 {
        match self {
            BootState::Ready { threads, .. } => *threads,
            _ => 0,
        }
    }
}

type BootFuture = Shared<LocalBoxFuture<'static, BootState>>;

/// Longest the boot waits for the service worker to isolate the page (the boot script gives
/// up after 4 s).
const ISOLATION_WAIT_MS: u32 = 5_000;

thread_local! {
    static BOOT: RefCell<Option<BootFuture>> = const { RefCell::new(None) };
}

/// The pool's start-up, begun on first call; every caller awaits the same future.
pub fn boot() -> BootFuture {
    BOOT.with(|cell| {
        cell.borrow_mut()
            .get_or_insert_with(|| {
                async {
                    // The boot script (www/index.html) may still be bringing the page under
                    // the site's service worker (it then reloads): give it a moment to say
                    // whether it worked, so a failure is reported with its reason.
                    let mut waited = 0;
                    while env::isolation_pending() && waited < ISOLATION_WAIT_MS {
                        gloo::timers::future::TimeoutFuture::new(100).await;
                        waited += 100;
                    }
                    match pool::start(pool::preferred_threads()).await {
                        Ok(threads) => BootState::Ready {
                            threads,
                            ready_ms: clock::now_ms(),
                        },
                        Err(reason) => BootState::Unavailable { reason },
                    }
                }
                .boxed_local()
                .shared()
            })
            .clone()
    })
}

/// The state to show before the future resolves.
pub fn initial_state() -> BootState {
    // Still coming under the service worker: say "starting", not "off", until it is known.
    if env::cross_origin_isolated() || env::isolation_pending() {
        BootState::Starting {
            threads: pool::preferred_threads(),
        }
    } else {
        let why = env::isolation_problem();
        BootState::Unavailable {
            reason: if why.is_empty() {
                "this page is not cross-origin isolated, so the browser gives it no shared memory"
                    .into()
            } else {
                format!("the page could not be made cross-origin isolated: {why}")
            },
        }
    }
}

/// Resolves to the number of compute workers, or explains why there are none.
pub async fn require_threads() -> Result<u32, String> {
    match boot().await {
        BootState::Ready { threads, .. } => Ok(threads),
        BootState::Starting { .. } => Err("the worker pool is still starting".into()),
        BootState::Unavailable { reason } => Err(format!("threads are unavailable: {reason}")),
    }
}
