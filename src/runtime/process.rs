//! Processes: Workers that each instantiate this module with their own, fresh memory.
//!
//! A [`Process`] is the page's handle on one: pid, name (DevTools lists the Worker under it),
//! start, [`Process::call`] to run a task, `join` with a timeout, `terminate`, exit status.
//! Its statics, heap and allocator are its own, so a global it changes is its copy alone, and
//! only copies travel between processes (structured clone over `postMessage`, the analogue of
//! pickling). A process may start a small thread pool inside its own memory.
//!
//! Python's `fork` cannot exist here: a Worker cannot copy a running instance. Every process
//! starts fresh from the module, which is `multiprocessing`'s `spawn` start method.
//!
//! **Invariant:** page-side calls are futures; nothing here blocks the page. The tasks a
//! process can run are registered by the labs in [`process_task`]'s table.

use super::{crash, env, pool};
use js_sys::JsString;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

/// How long a process may take to start before the page gives up on it.
pub const START_TIMEOUT_MS: u32 = 20_000;

#[wasm_bindgen(module = "/src/runtime/process.js")]
extern "C" {
    #[wasm_bindgen(js_name = LabProcess)]
    type JsProcess;

    #[wasm_bindgen(constructor, js_class = "LabProcess")]
    fn new(name: &str) -> JsProcess;
    #[wasm_bindgen(method, js_class = "LabProcess")]
    fn start(
        this: &JsProcess,
        main_js: JsString,
        module: JsValue,
        threads: u32,
        timeout_ms: u32,
    ) -> js_sys::Promise;
    #[wasm_bindgen(method, js_class = "LabProcess")]
    fn call(this: &JsProcess, kind: &str, input: &str, timeout_ms: u32) -> js_sys::Promise;
    #[wasm_bindgen(method, js_class = "LabProcess")]
    fn request(this: &JsProcess, message: &JsValue, timeout_ms: u32) -> js_sys::Promise;
    #[wasm_bindgen(method, js_class = "LabProcess")]
    fn popen(this: &JsProcess, program: &str, timeout_ms: u32) -> js_sys::Promise;
    #[wasm_bindgen(method, js_class = "LabProcess")]
    fn join(this: &JsProcess, timeout_ms: u32) -> js_sys::Promise;
    #[wasm_bindgen(method, js_class = "LabProcess")]
    fn terminate(this: &JsProcess);
    #[wasm_bindgen(method, getter, js_class = "LabProcess")]
    fn pid(this: &JsProcess) -> u32;
    #[wasm_bindgen(method, getter, js_class = "LabProcess")]
    fn alive(this: &JsProcess) -> bool;
    #[wasm_bindgen(method, getter, js_class = "LabProcess", js_name = exitMessage)]
    fn exit_message(this: &JsProcess) -> String;

    #[wasm_bindgen(js_name = connect)]
    fn connect_js(a: &JsProcess, b: &JsProcess, name: &str);

    #[wasm_bindgen(js_name = LabPipe)]
    type JsPipe;
    #[wasm_bindgen(method, js_class = "LabPipe")]
    fn write(this: &JsPipe, line: &str);
    #[wasm_bindgen(method, js_class = "LabPipe")]
    fn close(this: &JsPipe);
    #[wasm_bindgen(method, js_class = "LabPipe")]
    fn abandon(this: &JsPipe);
    #[wasm_bindgen(method, getter, js_class = "LabPipe")]
    fn exited(this: &JsPipe) -> js_sys::Promise;
}

/// The page's handle on one process. Dropping it does not end the process: call
/// [`Process::terminate`] (labs do, on every path, so no Worker outlives its run).
pub struct Process {
    js: JsProcess,
}

impl Process {
    /// Starts a process named `name-<pid>` with `threads` threads of its own (0: just its
    /// main thread) and waits until it answers.
    pub async fn spawn(name: &str, threads: u32) -> Result<Process, String> {
        if !env::cross_origin_isolated() {
            return Err("processes need a cross-origin isolated page".into());
        }
        let js = JsProcess::new(name);
        let started = js.start(
            pool::glue_url(),
            wasm_bindgen::module(),
            threads,
            START_TIMEOUT_MS,
        );
        JsFuture::from(started)
            .await
            .map_err(|e| env::js_error_text(&e))?;
        Ok(Process { js })
    }

    /// Starts `count` processes at once; if any fails to start, ends those that did, so a
    /// failed start leaves no Worker behind.
    pub async fn spawn_many(name: &str, count: u32, threads: u32) -> Result<Vec<Process>, String> {
        let started =
            futures::future::join_all((0..count).map(|_| Process::spawn(name, threads))).await;
        if let Some(Err(error)) = started.iter().find(|s| s.is_err()) {
            let error = error.clone();
            started.iter().flatten().for_each(Process::terminate);
            return Err(error);
        }
        Ok(started.into_iter().flatten().collect())
    }

    pub fn pid(&self) -> u32 {
        self.js.pid()
    }

    pub fn alive(&self) -> bool {
        self.js.alive()
    }

    /// Why the process ended ("" while it runs).
    pub fn exit_message(&self) -> String {
        self.js.exit_message()
    }

    /// Runs task `kind` on `input` in the process; the text it returns, or its error (a
    /// task error, the process's exit, or no answer within `timeout_ms`).
    pub async fn call(&self, kind: &str, input: &str, timeout_ms: u32) -> Result<String, String> {
        let answer = JsFuture::from(self.js.call(kind, input, timeout_ms))
            .await
            .map_err(|e| env::js_error_text(&e))?;
        Ok(answer.as_string().unwrap_or_default())
    }

    /// Sends one of the transport messages `process.js` handles itself (ping-pong, bulk
    /// copy), with extra fields; resolves to its answer.
    pub async fn request(
        &self,
        message_type: &str,
        fields: &[(&str, JsValue)],
        timeout_ms: u32,
    ) -> Result<String, String> {
        let message = js_sys::Object::new();
        let set = |k: &str, v: &JsValue| js_sys::Reflect::set(&message, &k.into(), v).ok();
        set("type", &message_type.into());
        for (key, value) in fields {
            set(key, value);
        }
        let answer = JsFuture::from(self.js.request(&message, timeout_ms))
            .await
            .map_err(|e| env::js_error_text(&e))?;
        Ok(answer.as_string().unwrap_or_default())
    }

    /// `subprocess.Popen(..., stdin=PIPE, stdout=PIPE, stderr=PIPE)`: starts child program
    /// `program` (a task the processes lab registers) on the process's own thread and returns
    /// the parent's end of its streams. The child must exit within `timeout_ms`.
    pub async fn popen(&self, program: &str, timeout_ms: u32) -> Result<Pipe, String> {
        let pipe = JsFuture::from(self.js.popen(program, timeout_ms))
            .await
            .map_err(|e| env::js_error_text(&e))?;
        Ok(Pipe {
            js: pipe.unchecked_into(),
        })
    }

    /// True once the process has exited, false if it still runs after `timeout_ms`.
    pub async fn join(&self, timeout_ms: u32) -> bool {
        JsFuture::from(self.js.join(timeout_ms))
            .await
            .ok()
            .and_then(|v| v.as_bool())
            .unwrap_or(false)
    }

    /// Ends the process and every thread it started.
    pub fn terminate(&self) {
        self.js.terminate();
    }
}

/// The parent's end of a child's stdin, stdout and stderr ([`Process::popen`]).
pub struct Pipe {
    js: JsPipe,
}

impl Pipe {
    /// Writes one line to the child's stdin.
    pub fn write(&self, line: &str) {
        self.js.write(line);
    }

    /// Closes the child's stdin: it reads EOF.
    pub fn close(&self) {
        self.js.close();
    }

    /// Once the child has exited: what the channel carried, as JSON (see `LabPipe` in
    /// `process.js`), or why it did not exit in time.
    pub async fn exited(&self) -> Result<String, String> {
        let events = JsFuture::from(self.js.exited())
            .await
            .map_err(|e| env::js_error_text(&e))?;
        Ok(events.as_string().unwrap_or_default())
    }
}

impl Drop for Pipe {
    fn drop(&mut self) {
        self.js.abandon();
    }
}

/// Connects two processes with a duplex channel known to both as `name`.
pub fn connect(a: &Process, b: &Process, name: &str) {
    connect_js(&a.js, &b.js, name);
}

// ---- inside a process ----

/// A process's start-up, called by `process.js` right after it instantiated the module in
/// its fresh memory: starts `threads` threads of its own if asked.
#[wasm_bindgen]
pub async fn process_main(pid: u32, threads: u32) -> Result<(), JsValue> {
    if env::is_window() {
        return Err("process_main runs in a process's worker, not on the page".into());
    }
    PID.store(pid, std::sync::atomic::Ordering::Relaxed);
    if threads > 0 {
        pool::start(threads).await?;
    }
    Ok(())
}

static PID: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);

/// This process's id, 0 on the page (which is not a process the lab started).
pub fn own_pid() -> u32 {
    PID.load(std::sync::atomic::Ordering::Relaxed)
}

/// One task a process runs: its text input to its text output.
pub type Task = fn(&str) -> futures::future::LocalBoxFuture<'static, Result<String, String>>;

/// Runs task `kind` inside a process. The labs' tasks are looked up by kind.
#[wasm_bindgen]
pub async fn process_task(kind: String, input: String) -> Result<String, JsValue> {
    let Some(task) = super::labs::processes::task(&kind) else {
        return Err(format!("no process task named '{kind}'").into());
    };
    task(&input).await.map_err(JsValue::from)
}

/// Whether anything in this process has panicked (then the process must exit, as a process
/// whose thread crashed does), and with what message.
#[wasm_bindgen]
pub fn process_crash_message() -> Option<String> {
    crash::message()
}
