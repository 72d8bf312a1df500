//! The JavaScript model's machine: a call stack of frames running compiled operations, the
//! job queue of promise jobs (microtasks) as ECMAScript specifies it, timers on a virtual
//! clock, and the HTML event loop around them (one task, then every microtask, then the next).
//!
//! Promise semantics follow ECMA-262 (2019 and later): `await v` is
//! `PerformPromiseThen(PromiseResolve(v), resume)`, so awaiting a native promise costs one
//! job; resolving a promise with a thenable (a promise returned from a reaction or from an
//! async function, or any object with a `then` method) first queues a
//! NewPromiseResolveThenableJob, which costs two more.

use super::compile::{Code, Lit, Op};
use super::value::{
    Handler, Kind, Native, Obj, ObjId, PromiseData, PromiseState, Reaction, Value, display,
    number_text, to_number, to_text, truthy,
};
use std::cell::Cell;
use std::collections::VecDeque;
use std::rc::Rc;

/// Operations one run may execute before it is stopped (an endless loop).
pub const MAX_OPS: u64 = 2_000_000;
/// Objects one run may create.
const MAX_OBJECTS: usize = 200_000;
/// Lines one run may print.
const MAX_OUTPUT: usize = 2_000;
/// Calls one stack may hold.
const MAX_DEPTH: usize = 500;

#[derive(Clone, Debug)]
enum Exit {
    /// The result goes on the caller's stack; a throw unwinds into the caller.
    Value,
    /// The bottom of a task or a queued callback: a throw is reported as uncaught.
    Task,
    /// A resumed async function: its promise has already been handed out.
    Resumed,
    /// A reaction's handler: its outcome settles the promise `then` returned.
    Reaction(Option<ObjId>),
    /// A thenable's `then`, called to resolve a promise: only a throw counts.
    ThenableCall(ObjId, Rc<Cell<bool>>),
    /// `new Promise(executor)`: the promise goes on the caller's stack either way.
    Executor(ObjId, Rc<Cell<bool>>),
    /// `finally`'s callback: then the original outcome is passed on.
    Finally {
        derived: Option<ObjId>,
        outcome: Value,
        rejected: bool,
    },
}

#[derive(Clone, Debug)]
struct Frame {
    code: Rc<Code>,
    pc: usize,
    stack: Vec<Value>,
    env: usize,
    this: Value,
    /// Catch target, stack depth and scope for each open `try`.
    handlers: Vec<(usize, usize, usize)>,
    exit: Exit,
    /// An async function's promise.
    promise: Option<ObjId>,
}

#[derive(Clone, Debug)]
struct Env {
    vars: Vec<(Rc<str>, Value, bool)>,
    parent: Option<usize>,
}

#[derive(Clone, Debug)]
enum Job {
    Reaction {
        reaction: Reaction,
        arg: Value,
        from: usize,
    },
    Thenable {
        promise: ObjId,
        thenable: Value,
        then: Value,
    },
    Callback(Value),
}

#[derive(Clone, Debug)]
struct Timer {
    id: u32,
    due_ms: f64,
    seq: u64,
    callback: Value,
    args: Vec<Value>,
}

/// What one step did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JsEvent {
    pub kind: JsEventKind,
    pub text: String,
    pub line: u32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JsEventKind {
    Task,
    Microtask,
    Call,
    Return,
    Await,
    Queue,
    Settle,
    Log,
    Error,
    Done,
}

/// The whole machine, for the page.
#[derive(Clone, Debug, PartialEq)]
pub struct JsSnapshot {
    /// Innermost last.
    pub stack: Vec<String>,
    pub microtasks: Vec<String>,
    /// Due time and description, soonest first.
    pub timers: Vec<(f64, String)>,
    /// Async functions suspended at an `await`.
    pub waiting: Vec<String>,
    pub output: Vec<String>,
    pub now_ms: f64,
    pub line: u32,
    pub finished: bool,
    pub error: Option<String>,
}

pub struct JsMachine {
    heap: Vec<Obj>,
    envs: Vec<Env>,
    global: usize,
    stack: Vec<Frame>,
    suspended: Vec<Option<(Frame, usize)>>,
    microtasks: VecDeque<Job>,
    timers: Vec<Timer>,
    next_timer: u32,
    timer_seq: u64,
    now_ms: f64,
    output: Vec<String>,
    events: VecDeque<JsEvent>,
    script: Option<Rc<Code>>,
    promises: usize,
    rejected: Vec<ObjId>,
    ops: u64,
    line: u32,
    finished: bool,
    error: Option<String>,
    used_microtasks: bool,
    used_timers: bool,
    methods: Methods,
}

/// Built-in methods looked up on arrays and promises.
#[derive(Clone, Copy, Debug, Default)]
struct Methods {
    then: ObjId,
    catch: ObjId,
    finally: ObjId,
    push: ObjId,
    shift: ObjId,
    join: ObjId,
}

type Outcome = Result<Option<Value>, Value>;

impl JsMachine {
    /// A machine about to run `script`.
    pub fn new(script: Rc<Code>) -> JsMachine {
        let mut m = JsMachine {
            heap: Vec::new(),
            envs: vec![Env {
                vars: Vec::new(),
                parent: None,
            }],
            global: 0,
            stack: Vec::new(),
            suspended: Vec::new(),
            microtasks: VecDeque::new(),
            timers: Vec::new(),
            next_timer: 1,
            timer_seq: 0,
            now_ms: 0.0,
            output: Vec::new(),
            events: VecDeque::new(),
            script: Some(script),
            promises: 0,
            rejected: Vec::new(),
            ops: 0,
            line: 1,
            finished: false,
            error: None,
            used_microtasks: false,
            used_timers: false,
            methods: Methods::default(),
        };
        m.install_globals();
        m
    }

    fn alloc(&mut self, kind: Kind) -> ObjId {
        self.heap.push(Obj {
            kind,
            props: Vec::new(),
        });
        self.heap.len() - 1
    }

    fn native(&mut self, n: Native) -> Value {
        Value::Obj(self.alloc(Kind::Native(n)))
    }

    fn install_globals(&mut self) {
        let console = self.alloc(Kind::Plain);
        let log = self.native(Native::ConsoleLog);
        self.heap[console].set("log", log);
        let promise = self.alloc(Kind::Native(Native::PromiseCtor));
        for (name, n) in [
            ("resolve", Native::PromiseResolve),
            ("reject", Native::PromiseReject),
            ("all", Native::PromiseAll),
            ("allSettled", Native::PromiseAllSettled),
            ("race", Native::PromiseRace),
        ] {
            let f = self.native(n);
            self.heap[promise].set(name, f);
        }
        // Date.now() and performance.now() read the model's virtual clock.
        let date = self.alloc(Kind::Plain);
        let now = self.native(Native::Now);
        self.heap[date].set("now", now.clone());
        let performance = self.alloc(Kind::Plain);
        self.heap[performance].set("now", now);
        let (date, performance) = (Value::Obj(date), Value::Obj(performance));
        let math = self.alloc(Kind::Plain);
        for (name, n) in [
            ("round", Native::Math("round")),
            ("floor", Native::Math("floor")),
            ("ceil", Native::Math("ceil")),
            ("abs", Native::Math("abs")),
            ("max", Native::Math("max")),
            ("min", Native::Math("min")),
        ] {
            let f = self.native(n);
            self.heap[math].set(name, f);
        }
        let math = Value::Obj(math);
        let globals = [
            ("console", Value::Obj(console)),
            ("Promise", Value::Obj(promise)),
            ("setTimeout", self.native(Native::SetTimeout)),
            ("clearTimeout", self.native(Native::ClearTimeout)),
            ("queueMicrotask", self.native(Native::QueueMicrotask)),
            ("Date", date),
            ("Math", math),
            ("performance", performance),
            ("Error", self.native(Native::ErrorCtor("Error"))),
            ("TypeError", self.native(Native::ErrorCtor("TypeError"))),
            ("NaN", Value::Num(f64::NAN)),
            ("Infinity", Value::Num(f64::INFINITY)),
        ];
        for (name, value) in globals {
            self.envs[0].vars.push((name.into(), value, false));
        }
        self.methods = Methods {
            then: self.alloc(Kind::Native(Native::Then)),
            catch: self.alloc(Kind::Native(Native::Catch)),
            finally: self.alloc(Kind::Native(Native::Finally)),
            push: self.alloc(Kind::Native(Native::ArrayPush)),
            shift: self.alloc(Kind::Native(Native::ArrayShift)),
            join: self.alloc(Kind::Native(Native::ArrayJoin)),
        };
    }

    fn emit(&mut self, kind: JsEventKind, text: String) {
        let line = self.line;
        self.events.push_back(JsEvent { kind, text, line });
    }

    pub fn output(&self) -> &[String] {
        &self.output
    }

    pub fn now_ms(&self) -> f64 {
        self.now_ms
    }

    pub fn is_finished(&self) -> bool {
        self.finished
    }

    pub fn error(&self) -> Option<&str> {
        self.error.as_deref()
    }

    /// Which queues the program used: `script`, `microtasks`, `timers`.
    pub fn queues_seen(&self) -> Vec<&'static str> {
        let mut seen = vec!["script"];
        if self.used_microtasks {
            seen.push("microtasks");
        }
        if self.used_timers {
            seen.push("timers");
        }
        seen
    }

    /// Reasons of promises rejected with no handler by the end, in rejection order.
    pub fn unhandled(&self) -> Vec<String> {
        self.rejected
            .iter()
            .filter_map(|&p| match &self.heap[p].kind {
                Kind::Promise(data) if !data.handled => match &data.state {
                    PromiseState::Rejected(e) => Some(display(&self.heap, e, true)),
                    _ => None,
                },
                _ => None,
            })
            .collect()
    }

    /// Runs until the next visible event; `None` once the program has finished.
    pub fn step(&mut self) -> Option<JsEvent> {
        while self.events.is_empty() && !self.finished {
            if self.ops >= MAX_OPS {
                self.stop(format!(
                    "stopped after {} operations: an endless loop?",
                    MAX_OPS
                ));
                break;
            }
            if self.heap.len() > MAX_OBJECTS {
                self.stop(format!("stopped: more than {MAX_OBJECTS} objects"));
                break;
            }
            self.ops += 1;
            if self.stack.is_empty() {
                self.start_next();
            } else {
                self.exec();
            }
        }
        self.events.pop_front()
    }

    fn stop(&mut self, message: String) {
        self.error = Some(message.clone());
        self.finished = true;
        self.stack.clear();
        self.emit(JsEventKind::Error, message);
    }

    /// Between tasks: every microtask first, then the soonest timer.
    fn start_next(&mut self) {
        if let Some(script) = self.script.take() {
            self.emit(
                JsEventKind::Task,
                t!("event_loop.js.run_script").to_string(),
            );
            // With top-level await the script is an async body: a rejection of its promise
            // is reported as uncaught when its reaction runs (the real run's `.catch`).
            let promise = script.is_async.then(|| {
                let p = self.new_promise();
                let report = self.native(Native::ReportUncaught);
                let derived = self.new_promise();
                self.perform_then(p, Handler::Default, Handler::Call(report), Some(derived));
                p
            });
            self.push_frame(script, self.global, Value::Undefined, Exit::Task, promise);
            return;
        }
        if let Some(job) = self.microtasks.pop_front() {
            let text = self.describe_job(&job);
            self.emit(
                JsEventKind::Microtask,
                t!("event_loop.js.microtask", job = text).to_string(),
            );
            self.run_job(job);
            return;
        }
        let soonest = self
            .timers
            .iter()
            .enumerate()
            .min_by(|a, b| {
                a.1.due_ms
                    .total_cmp(&b.1.due_ms)
                    .then(a.1.seq.cmp(&b.1.seq))
            })
            .map(|(i, _)| i);
        if let Some(i) = soonest {
            let timer = self.timers.remove(i);
            self.now_ms = self.now_ms.max(timer.due_ms);
            let name = self.fn_name(&timer.callback);
            self.emit(
                JsEventKind::Task,
                t!(
                    "event_loop.js.timer_fires",
                    id = timer.id,
                    at = number_text(timer.due_ms),
                    name = name
                )
                .to_string(),
            );
            self.call(timer.callback, Value::Undefined, timer.args, Exit::Task);
            return;
        }
        self.finished = true;
        let text = match self.unhandled().len() {
            0 => t!("event_loop.js.done").to_string(),
            n => t!("event_loop.js.done_unhandled", n = n).to_string(),
        };
        self.emit(JsEventKind::Done, text);
    }

    fn push_frame(
        &mut self,
        code: Rc<Code>,
        env: usize,
        this: Value,
        exit: Exit,
        promise: Option<ObjId>,
    ) {
        if self.stack.len() >= MAX_DEPTH {
            self.stop(format!("stopped: more than {MAX_DEPTH} nested calls"));
            return;
        }
        self.stack.push(Frame {
            code,
            pc: 0,
            stack: Vec::new(),
            env,
            this,
            handlers: Vec::new(),
            exit,
            promise,
        });
    }

    fn top(&mut self) -> &mut Frame {
        self.stack.last_mut().expect("a running frame")
    }

    fn pop(&mut self) -> Value {
        self.top().stack.pop().unwrap_or(Value::Undefined)
    }

    fn push(&mut self, v: Value) {
        self.top().stack.push(v);
    }

    fn pop_n(&mut self, n: usize) -> Vec<Value> {
        let stack = &mut self.top().stack;
        let at = stack.len().saturating_sub(n);
        stack.split_off(at)
    }

    fn exec(&mut self) {
        let frame = self.top();
        let Some(op) = frame.code.ops.get(frame.pc).cloned() else {
            self.finish_frame(Value::Undefined);
            return;
        };
        frame.pc += 1;
        if let Err(e) = self.exec_op(op) {
            self.throw(e);
        }
    }

    fn exec_op(&mut self, op: Op) -> Result<(), Value> {
        match op {
            Op::Line(pos) => self.line = pos.line,
            Op::Push(lit) => self.push(match lit {
                Lit::Undefined => Value::Undefined,
                Lit::Null => Value::Null,
                Lit::Bool(b) => Value::Bool(b),
                Lit::Num(n) => Value::Num(n),
                Lit::Str(s) => Value::Str(s),
            }),
            Op::This => {
                let this = self.top().this.clone();
                self.push(this);
            }
            Op::Load(name, _) => {
                let v = self.lookup(&name)?;
                self.push(v);
            }
            Op::Store(name, _) => {
                let v = self.top().stack.last().cloned().unwrap_or(Value::Undefined);
                self.assign(&name, v)?;
            }
            Op::Declare(name, mutable) => {
                let v = self.pop();
                let env = self.top().env;
                let vars = &mut self.envs[env].vars;
                match vars.iter_mut().find(|(n, _, _)| *n == name) {
                    Some(slot) => *slot = (name, v, mutable),
                    None => vars.push((name, v, mutable)),
                }
            }
            Op::PushScope => {
                let parent = self.top().env;
                self.envs.push(Env {
                    vars: Vec::new(),
                    parent: Some(parent),
                });
                let id = self.envs.len() - 1;
                self.top().env = id;
            }
            Op::PopScope => {
                let env = self.top().env;
                self.top().env = self.envs[env].parent.unwrap_or(self.global);
            }
            Op::RenewScope => {
                let env = self.top().env;
                let copy = self.envs[env].clone();
                self.envs.push(copy);
                let id = self.envs.len() - 1;
                self.top().env = id;
            }
            Op::Closure(code) => {
                let (env, this) = (self.top().env, self.top().this.clone());
                let this = code.is_arrow.then_some(this);
                let f = self.alloc(Kind::Closure { code, env, this });
                self.push(Value::Obj(f));
            }
            Op::Object(keys) => {
                let values = self.pop_n(keys.len());
                let obj = self.alloc(Kind::Plain);
                for (k, v) in keys.iter().zip(values) {
                    self.heap[obj].set(k, v);
                }
                self.push(Value::Obj(obj));
            }
            Op::Array(n) => {
                let items = self.pop_n(n);
                let arr = self.alloc(Kind::Array(items));
                self.push(Value::Obj(arr));
            }
            Op::GetProp(name, _) => {
                let obj = self.pop();
                let v = self.get_prop(&obj, &name)?;
                self.push(v);
            }
            Op::SetProp(name, _) => {
                let v = self.pop();
                let obj = self.pop();
                self.set_prop(&obj, &name, v.clone())?;
                self.push(v);
            }
            Op::GetIndex(_) => {
                let key = self.pop();
                let obj = self.pop();
                let v = self.get_index(&obj, &key)?;
                self.push(v);
            }
            Op::SetIndex(_) => {
                let v = self.pop();
                let key = self.pop();
                let obj = self.pop();
                self.set_index(&obj, &key, v.clone())?;
                self.push(v);
            }
            Op::GetMethod(name, _) => {
                let obj = self.top().stack.last().cloned().unwrap_or(Value::Undefined);
                let f = self.get_prop(&obj, &name)?;
                if !self.is_callable(&f) {
                    let what = match &obj {
                        Value::Obj(_) => "object",
                        other => type_of(&self.heap, other),
                    };
                    return Err(self.make_error(
                        "TypeError",
                        &format!("{name} is not a function (on a {what}, in the subset)"),
                    ));
                }
                self.push(f);
            }
            Op::Call(n, _) => {
                let args = self.pop_n(n);
                let f = self.pop();
                self.checked_call(f, Value::Undefined, args)?;
            }
            Op::CallMethod(n, _) => {
                let args = self.pop_n(n);
                let f = self.pop();
                let this = self.pop();
                self.checked_call(f, this, args)?;
            }
            Op::New(n, _) => {
                let args = self.pop_n(n);
                let f = self.pop();
                self.construct(f, args)?;
            }
            Op::Unary(op) => {
                let v = self.pop();
                self.push(match op {
                    "!" => Value::Bool(!truthy(&v)),
                    "-" => Value::Num(-to_number(&v)),
                    _ => Value::Num(to_number(&v)),
                });
            }
            Op::Typeof => {
                let v = self.pop();
                let t = type_of(&self.heap, &v);
                self.push(Value::str(t));
            }
            Op::Binary(op, _) => {
                let right = self.pop();
                let left = self.pop();
                let v = self.binary(op, &left, &right);
                self.push(v);
            }
            Op::Jump(to) => self.top().pc = to,
            Op::JumpIfFalse(to) => {
                if !truthy(&self.pop()) {
                    self.top().pc = to;
                }
            }
            Op::JumpIfFalseKeep(to) | Op::JumpIfTrueKeep(to) | Op::JumpIfNotNullishKeep(to) => {
                let v = self.top().stack.last().cloned().unwrap_or(Value::Undefined);
                let jump = match op {
                    Op::JumpIfFalseKeep(_) => !truthy(&v),
                    Op::JumpIfTrueKeep(_) => truthy(&v),
                    _ => !matches!(v, Value::Undefined | Value::Null),
                };
                if jump {
                    self.top().pc = to;
                } else {
                    self.pop();
                }
            }
            Op::Pop => {
                self.pop();
            }
            Op::Dup => {
                let v = self.top().stack.last().cloned().unwrap_or(Value::Undefined);
                self.push(v);
            }
            Op::Dup2 => {
                let stack = &mut self.top().stack;
                let n = stack.len();
                if n >= 2 {
                    let (a, b) = (stack[n - 2].clone(), stack[n - 1].clone());
                    stack.push(a);
                    stack.push(b);
                }
            }
            Op::Return => {
                let v = self.pop();
                self.finish_frame(v);
            }
            Op::Await(_) => {
                let v = self.pop();
                self.await_value(v);
            }
            Op::Throw(_) => {
                let e = self.pop();
                return Err(e);
            }
            Op::TryStart(catch) => {
                let frame = self.top();
                let (depth, env) = (frame.stack.len(), frame.env);
                frame.handlers.push((catch, depth, env));
            }
            Op::TryEnd => {
                self.top().handlers.pop();
            }
            Op::Template(n) => {
                let parts = self.pop_n(n);
                let text: String = parts.iter().map(|p| to_text(&self.heap, p)).collect();
                self.push(Value::Str(text.into()));
            }
        }
        Ok(())
    }

    fn lookup(&mut self, name: &str) -> Result<Value, Value> {
        let mut env = Some(self.top().env);
        while let Some(id) = env {
            if let Some((_, v, _)) = self.envs[id].vars.iter().find(|(n, _, _)| &**n == name) {
                return Ok(v.clone());
            }
            env = self.envs[id].parent;
        }
        Err(self.make_error("ReferenceError", &format!("{name} is not defined")))
    }

    fn assign(&mut self, name: &str, v: Value) -> Result<(), Value> {
        let mut env = Some(self.top().env);
        while let Some(id) = env {
            if let Some(slot) = self.envs[id].vars.iter_mut().find(|(n, _, _)| &**n == name) {
                if !slot.2 {
                    return Err(self.make_error("TypeError", "Assignment to constant variable."));
                }
                slot.1 = v;
                return Ok(());
            }
            env = self.envs[id].parent;
        }
        Err(self.make_error("ReferenceError", &format!("{name} is not defined")))
    }

    pub(super) fn make_error(&mut self, name: &str, message: &str) -> Value {
        let e = self.alloc(Kind::Error);
        self.heap[e].set("name", Value::str(name));
        self.heap[e].set("message", Value::str(message));
        Value::Obj(e)
    }

    fn is_callable(&self, v: &Value) -> bool {
        matches!(v, Value::Obj(id) if matches!(self.heap[*id].kind, Kind::Closure { .. } | Kind::Native(_)))
    }

    fn fn_name(&self, f: &Value) -> String {
        match f {
            Value::Obj(id) => match &self.heap[*id].kind {
                Kind::Closure { code, .. } => code.name.to_string(),
                Kind::Native(n) => native_name(n).into(),
                _ => "?".into(),
            },
            _ => "?".into(),
        }
    }

    fn get_prop(&mut self, obj: &Value, name: &str) -> Result<Value, Value> {
        match obj {
            Value::Undefined | Value::Null => {
                let what = if *obj == Value::Null {
                    "null"
                } else {
                    "undefined"
                };
                Err(self.make_error(
                    "TypeError",
                    &format!("Cannot read properties of {what} (reading '{name}')"),
                ))
            }
            Value::Str(s) if name == "length" => Ok(Value::Num(s.encode_utf16().count() as f64)),
            Value::Obj(id) => {
                let o = &self.heap[*id];
                if let Some(v) = o.get(name) {
                    return Ok(v.clone());
                }
                let m = self.methods;
                Ok(match (&o.kind, name) {
                    (Kind::Array(items), "length") => Value::Num(items.len() as f64),
                    (Kind::Array(_), "push") => Value::Obj(m.push),
                    (Kind::Array(_), "shift") => Value::Obj(m.shift),
                    (Kind::Array(_), "join") => Value::Obj(m.join),
                    (Kind::Promise(_), "then") => Value::Obj(m.then),
                    (Kind::Promise(_), "catch") => Value::Obj(m.catch),
                    (Kind::Promise(_), "finally") => Value::Obj(m.finally),
                    (Kind::Closure { code, .. }, "name") => Value::Str(code.name.clone()),
                    _ => Value::Undefined,
                })
            }
            _ => Ok(Value::Undefined),
        }
    }

    fn set_prop(&mut self, obj: &Value, name: &str, v: Value) -> Result<(), Value> {
        match obj {
            Value::Undefined | Value::Null => Err(self.make_error(
                "TypeError",
                &format!(
                    "Cannot set properties of {} (setting '{name}')",
                    to_text(&self.heap, obj)
                ),
            )),
            Value::Obj(id) => {
                self.heap[*id].set(name, v);
                Ok(())
            }
            _ => Ok(()),
        }
    }

    fn get_index(&mut self, obj: &Value, key: &Value) -> Result<Value, Value> {
        if let (Value::Obj(id), Value::Num(n)) = (obj, key)
            && let Kind::Array(items) = &self.heap[*id].kind
        {
            return Ok(if *n >= 0.0 && n.fract() == 0.0 {
                items.get(*n as usize).cloned().unwrap_or(Value::Undefined)
            } else {
                Value::Undefined
            });
        }
        if let (Value::Str(s), Value::Num(n)) = (obj, key) {
            let units: Vec<u16> = s.encode_utf16().collect();
            return Ok(
                if *n >= 0.0 && n.fract() == 0.0 && (*n as usize) < units.len() {
                    Value::Str(
                        String::from_utf16_lossy(&units[*n as usize..*n as usize + 1]).into(),
                    )
                } else {
                    Value::Undefined
                },
            );
        }
        let name = to_text(&self.heap, key);
        self.get_prop(obj, &name)
    }

    fn set_index(&mut self, obj: &Value, key: &Value, v: Value) -> Result<(), Value> {
        if let (Value::Obj(id), Value::Num(n)) = (obj, key)
            && let Kind::Array(items) = &mut self.heap[*id].kind
        {
            if *n >= 0.0 && n.fract() == 0.0 && *n < 100_000.0 {
                let i = *n as usize;
                if i >= items.len() {
                    items.resize(i + 1, Value::Undefined);
                }
                items[i] = v;
            }
            return Ok(());
        }
        let name = to_text(&self.heap, key);
        self.set_prop(obj, &name, v)
    }

    fn binary(&self, op: &str, a: &Value, b: &Value) -> Value {
        let num = |f: fn(f64, f64) -> f64| Value::Num(f(to_number(a), to_number(b)));
        match op {
            "+" => {
                if matches!(a, Value::Str(_) | Value::Obj(_))
                    || matches!(b, Value::Str(_) | Value::Obj(_))
                {
                    Value::Str(
                        format!("{}{}", to_text(&self.heap, a), to_text(&self.heap, b)).into(),
                    )
                } else {
                    num(|x, y| x + y)
                }
            }
            "-" => num(|x, y| x - y),
            "*" => num(|x, y| x * y),
            "/" => num(|x, y| x / y),
            "%" => num(|x, y| x % y),
            "**" => num(f64::powf),
            "<" | ">" | "<=" | ">=" => {
                let ordering = match (a, b) {
                    (Value::Str(x), Value::Str(y)) => Some(x.cmp(y)),
                    _ => to_number(a).partial_cmp(&to_number(b)),
                };
                Value::Bool(ordering.is_some_and(|o| match op {
                    "<" => o.is_lt(),
                    ">" => o.is_gt(),
                    "<=" => o.is_le(),
                    _ => o.is_ge(),
                }))
            }
            "===" => Value::Bool(strict_equals(a, b)),
            "!==" => Value::Bool(!strict_equals(a, b)),
            "==" => Value::Bool(self.loose_equals(a, b)),
            _ => Value::Bool(!self.loose_equals(a, b)),
        }
    }

    fn loose_equals(&self, a: &Value, b: &Value) -> bool {
        match (a, b) {
            (Value::Undefined | Value::Null, Value::Undefined | Value::Null) => true,
            (Value::Undefined | Value::Null, _) | (_, Value::Undefined | Value::Null) => false,
            (Value::Obj(_), Value::Obj(_)) => strict_equals(a, b),
            (Value::Str(_), Value::Str(_)) => strict_equals(a, b),
            (Value::Obj(_), _) => to_text(&self.heap, a) == to_text(&self.heap, b),
            (_, Value::Obj(_)) => to_text(&self.heap, a) == to_text(&self.heap, b),
            _ => to_number(a) == to_number(b),
        }
    }

    // ---- calls and returns ----

    fn checked_call(&mut self, f: Value, this: Value, args: Vec<Value>) -> Result<(), Value> {
        if !self.is_callable(&f) {
            let shown = display(&self.heap, &f, false);
            return Err(self.make_error("TypeError", &format!("{shown} is not a function")));
        }
        self.call(f, this, args, Exit::Value);
        Ok(())
    }

    /// Calls `f`; its result (or exception) goes where `exit` says, now or when its frame ends.
    fn call(&mut self, f: Value, this: Value, args: Vec<Value>, exit: Exit) {
        let Value::Obj(id) = f else {
            let e = self.make_error("TypeError", "not a function");
            self.deliver_throw(exit, e);
            return;
        };
        match self.heap[id].kind.clone() {
            Kind::Closure {
                code,
                env,
                this: bound,
            } => {
                let scope = self.envs.len();
                self.envs.push(Env {
                    vars: Vec::new(),
                    parent: Some(env),
                });
                for (i, p) in code.params.iter().enumerate() {
                    let v = args.get(i).cloned().unwrap_or(Value::Undefined);
                    self.envs[scope].vars.push((p.clone(), v, true));
                }
                let promise = code.is_async.then(|| self.new_promise());
                let name = code.name.clone();
                self.push_frame(code, scope, bound.unwrap_or(this), exit, promise);
                self.emit(
                    JsEventKind::Call,
                    t!("event_loop.js.call", name = name).to_string(),
                );
            }
            Kind::Native(n) => match self.call_native(n, this, args, &exit) {
                Ok(Some(v)) => self.deliver_return(exit, v),
                Ok(None) => {}
                Err(e) => self.deliver_throw(exit, e),
            },
            _ => {
                let e = self.make_error("TypeError", "not a function");
                self.deliver_throw(exit, e);
            }
        }
    }

    fn construct(&mut self, f: Value, args: Vec<Value>) -> Result<(), Value> {
        let native = match &f {
            Value::Obj(id) => match &self.heap[*id].kind {
                Kind::Native(n @ (Native::PromiseCtor | Native::ErrorCtor(_))) => Some(n.clone()),
                _ => None,
            },
            _ => None,
        };
        match native {
            Some(Native::PromiseCtor) => {
                let executor = args.first().cloned().unwrap_or(Value::Undefined);
                if !self.is_callable(&executor) {
                    return Err(self.make_error("TypeError", "Promise resolver is not a function"));
                }
                let p = self.new_promise();
                let already = Rc::new(Cell::new(false));
                let resolve = self.native(Native::Resolve(p, already.clone()));
                let reject = self.native(Native::Reject(p, already.clone()));
                self.call(
                    executor,
                    Value::Undefined,
                    vec![resolve, reject],
                    Exit::Executor(p, already),
                );
                Ok(())
            }
            Some(n) => {
                let v = self.call_native(n, Value::Undefined, args, &Exit::Value)?;
                self.push(v.unwrap_or(Value::Undefined));
                Ok(())
            }
            None => Err(self.make_error(
                "TypeError",
                "only new Promise(…) and new Error(…) are in the subset",
            )),
        }
    }

    /// A frame returns `v` (an async function's is its promise, settled with `v`).
    fn finish_frame(&mut self, v: Value) {
        let frame = self.stack.pop().expect("a running frame");
        let name = frame.code.name.clone();
        self.emit(
            JsEventKind::Return,
            t!("event_loop.js.returns", name = name).to_string(),
        );
        match frame.promise {
            Some(p) => {
                self.resolve(p, v);
                self.deliver_return(frame.exit, Value::Obj(p));
            }
            None => self.deliver_return(frame.exit, v),
        }
    }

    fn deliver_return(&mut self, exit: Exit, v: Value) {
        match exit {
            Exit::Value => self.push(v),
            Exit::Task | Exit::Resumed | Exit::ThenableCall(..) => {}
            Exit::Reaction(derived) => {
                if let Some(d) = derived {
                    self.resolve(d, v);
                }
            }
            Exit::Executor(p, _) => self.push(Value::Obj(p)),
            Exit::Finally {
                derived,
                outcome,
                rejected,
            } => {
                // spec: thenFinally returns PromiseResolve(result).then(() => value).
                let p = self.promise_resolve(v);
                let thunk = self.native(Native::Thunk {
                    value: outcome,
                    throw: rejected,
                });
                let next = self.new_promise();
                self.perform_then(p, Handler::Call(thunk), Handler::Default, Some(next));
                if let Some(d) = derived {
                    self.resolve(d, Value::Obj(next));
                }
            }
        }
    }

    fn deliver_throw(&mut self, exit: Exit, e: Value) {
        match exit {
            Exit::Value => self.throw(e),
            Exit::Task | Exit::Resumed => self.uncaught(&e),
            Exit::Reaction(derived) | Exit::Finally { derived, .. } => match derived {
                Some(d) => self.reject(d, e),
                None => self.uncaught(&e),
            },
            Exit::ThenableCall(p, already) => {
                if !already.replace(true) {
                    self.reject(p, e);
                }
            }
            Exit::Executor(p, already) => {
                if !already.replace(true) {
                    self.reject(p, e);
                }
                self.push(Value::Obj(p));
            }
        }
    }

    fn uncaught(&mut self, e: &Value) {
        let text = format!("Uncaught {}", display(&self.heap, e, true));
        self.log(text.clone());
        self.emit(JsEventKind::Error, text);
    }

    /// Unwinds to the nearest `catch`, through frames; an async function rejects its promise.
    fn throw(&mut self, e: Value) {
        loop {
            let Some(frame) = self.stack.last_mut() else {
                self.uncaught(&e);
                return;
            };
            if let Some((pc, depth, env)) = frame.handlers.pop() {
                frame.stack.truncate(depth);
                frame.env = env;
                frame.stack.push(e);
                frame.pc = pc;
                return;
            }
            let frame = self.stack.pop().expect("checked above");
            let name = frame.code.name.clone();
            self.emit(
                JsEventKind::Return,
                t!(
                    "event_loop.js.throws",
                    name = name,
                    error = display(&self.heap, &e, true)
                )
                .to_string(),
            );
            if let Some(p) = frame.promise {
                self.reject(p, e);
                self.deliver_return(frame.exit, Value::Obj(p));
                return;
            }
            match frame.exit {
                Exit::Value => continue,
                other => {
                    self.deliver_throw(other, e);
                    return;
                }
            }
        }
    }

    /// `await v`: suspend, and resume from a promise job when `PromiseResolve(v)` settles.
    fn await_value(&mut self, v: Value) {
        let mut frame = self.stack.pop().expect("a running frame");
        let Some(promise) = frame.promise else {
            self.stack.push(frame);
            let e = self.make_error("SyntaxError", "await outside an async function");
            self.throw(e);
            return;
        };
        let awaited = self.promise_resolve(v);
        let exit = std::mem::replace(&mut frame.exit, Exit::Resumed);
        let name = frame.code.name.clone();
        let slot = self.suspended.len();
        self.suspended.push(Some((frame, awaited)));
        self.perform_then(
            awaited,
            Handler::Resume {
                frame: slot,
                throw: false,
            },
            Handler::Resume {
                frame: slot,
                throw: true,
            },
            None,
        );
        let serial = self.serial(awaited);
        self.emit(
            JsEventKind::Await,
            t!("event_loop.js.awaits", name = name, serial = serial).to_string(),
        );
        self.deliver_return(exit, Value::Obj(promise));
    }

    // ---- promises ----

    fn new_promise(&mut self) -> ObjId {
        self.promises += 1;
        self.alloc(Kind::Promise(PromiseData {
            state: PromiseState::Pending,
            fulfill: Vec::new(),
            reject: Vec::new(),
            handled: false,
            serial: self.promises,
        }))
    }

    fn promise_data(&mut self, p: ObjId) -> &mut PromiseData {
        match &mut self.heap[p].kind {
            Kind::Promise(data) => data,
            _ => unreachable!("a promise"),
        }
    }

    fn serial(&self, p: ObjId) -> usize {
        match &self.heap[p].kind {
            Kind::Promise(data) => data.serial,
            _ => 0,
        }
    }

    fn is_promise(&self, v: &Value) -> Option<ObjId> {
        match v {
            Value::Obj(id) if matches!(self.heap[*id].kind, Kind::Promise(_)) => Some(*id),
            _ => None,
        }
    }

    /// PromiseResolve(%Promise%, v): a native promise as it is, anything else wrapped.
    fn promise_resolve(&mut self, v: Value) -> ObjId {
        if let Some(p) = self.is_promise(&v) {
            return p;
        }
        let p = self.new_promise();
        self.resolve(p, v);
        p
    }

    /// A promise's resolve function: a thenable is adopted through a job, anything else
    /// fulfils.
    fn resolve(&mut self, p: ObjId, v: Value) {
        if self.promise_data(p).state != PromiseState::Pending {
            return;
        }
        if v == Value::Obj(p) {
            let e = self.make_error(
                "TypeError",
                "Chaining cycle detected for promise #<Promise>",
            );
            self.reject(p, e);
            return;
        }
        if let Value::Obj(_) = v {
            let then = self.get_prop(&v, "then").unwrap_or(Value::Undefined);
            if self.is_callable(&then) {
                let serial = self.serial(p);
                self.enqueue(Job::Thenable {
                    promise: p,
                    thenable: v,
                    then,
                });
                self.emit(
                    JsEventKind::Queue,
                    t!("event_loop.js.thenable", serial = serial).to_string(),
                );
                return;
            }
        }
        self.settle(p, v, false);
    }

    fn reject(&mut self, p: ObjId, e: Value) {
        if self.promise_data(p).state != PromiseState::Pending {
            return;
        }
        self.settle(p, e, true);
    }

    fn settle(&mut self, p: ObjId, v: Value, rejected: bool) {
        let data = self.promise_data(p);
        data.state = if rejected {
            PromiseState::Rejected(v.clone())
        } else {
            PromiseState::Fulfilled(v.clone())
        };
        let fulfill = std::mem::take(&mut data.fulfill);
        let reject = std::mem::take(&mut data.reject);
        let (serial, handled) = (data.serial, data.handled);
        let reactions = if rejected { reject } else { fulfill };
        if rejected && !handled {
            self.rejected.push(p);
        }
        let shown = display(&self.heap, &v, false);
        let queued = match reactions.len() {
            0 => String::new(),
            1 => t!("event_loop.js.queue_reaction").to_string(),
            n => t!("event_loop.js.queue_reactions", n = n).to_string(),
        };
        let settled = if rejected {
            t!(
                "event_loop.js.rejected",
                serial = serial,
                value = shown,
                queued = queued
            )
        } else {
            t!(
                "event_loop.js.fulfilled",
                serial = serial,
                value = shown,
                queued = queued
            )
        };
        self.emit(JsEventKind::Settle, settled.to_string());
        for reaction in reactions {
            self.enqueue(Job::Reaction {
                reaction,
                arg: v.clone(),
                from: serial,
            });
        }
    }

    fn perform_then(
        &mut self,
        p: ObjId,
        on_fulfilled: Handler,
        on_rejected: Handler,
        derived: Option<ObjId>,
    ) {
        let fulfill = Reaction {
            derived,
            rejected: false,
            handler: on_fulfilled,
        };
        let reject = Reaction {
            derived,
            rejected: true,
            handler: on_rejected,
        };
        let data = self.promise_data(p);
        data.handled = true;
        let serial = data.serial;
        match data.state.clone() {
            PromiseState::Pending => {
                data.fulfill.push(fulfill);
                data.reject.push(reject);
            }
            PromiseState::Fulfilled(v) => self.enqueue(Job::Reaction {
                reaction: fulfill,
                arg: v,
                from: serial,
            }),
            PromiseState::Rejected(e) => self.enqueue(Job::Reaction {
                reaction: reject,
                arg: e,
                from: serial,
            }),
        }
    }

    fn enqueue(&mut self, job: Job) {
        self.used_microtasks = true;
        self.microtasks.push_back(job);
    }

    fn handler_of(&self, v: &Value) -> Handler {
        if self.is_callable(v) {
            Handler::Call(v.clone())
        } else {
            Handler::Default
        }
    }

    fn run_job(&mut self, job: Job) {
        match job {
            Job::Reaction { reaction, arg, .. } => match reaction.handler {
                Handler::Default => {
                    if let Some(d) = reaction.derived {
                        if reaction.rejected {
                            self.reject(d, arg);
                        } else {
                            self.resolve(d, arg);
                        }
                    }
                }
                Handler::Call(f) => self.call(
                    f,
                    Value::Undefined,
                    vec![arg],
                    Exit::Reaction(reaction.derived),
                ),
                Handler::Resume { frame, throw } => {
                    let Some((frame, _)) = self.suspended.get_mut(frame).and_then(Option::take)
                    else {
                        return;
                    };
                    let name = frame.code.name.clone();
                    self.stack.push(frame);
                    self.emit(
                        JsEventKind::Call,
                        t!("event_loop.js.resumes", name = name).to_string(),
                    );
                    if throw {
                        self.throw(arg);
                    } else {
                        self.push(arg);
                    }
                }
            },
            Job::Thenable {
                promise,
                thenable,
                then,
            } => {
                let already = Rc::new(Cell::new(false));
                let resolve = self.native(Native::Resolve(promise, already.clone()));
                let reject = self.native(Native::Reject(promise, already.clone()));
                self.call(
                    then,
                    thenable,
                    vec![resolve, reject],
                    Exit::ThenableCall(promise, already),
                );
            }
            Job::Callback(f) => self.call(f, Value::Undefined, Vec::new(), Exit::Task),
        }
    }

    fn describe_job(&self, job: &Job) -> String {
        match job {
            Job::Reaction { reaction, from, .. } => match &reaction.handler {
                Handler::Resume { frame, .. } => {
                    let name = self.suspended[*frame]
                        .as_ref()
                        .map_or("?".into(), |(f, _)| f.code.name.to_string());
                    t!("event_loop.js.job_resume", name = name, from = from).to_string()
                }
                Handler::Call(f) => if reaction.rejected {
                    t!(
                        "event_loop.js.job_rejection",
                        name = self.fn_name(f),
                        from = from
                    )
                } else {
                    t!(
                        "event_loop.js.job_fulfilment",
                        name = self.fn_name(f),
                        from = from
                    )
                }
                .to_string(),
                Handler::Default => match reaction.derived {
                    Some(d) => t!(
                        "event_loop.js.job_pass_on",
                        from = from,
                        to = self.serial(d)
                    )
                    .to_string(),
                    None => t!("event_loop.js.job_unused", from = from).to_string(),
                },
            },
            Job::Thenable { promise, then, .. } => t!(
                "event_loop.js.job_thenable",
                then = self.fn_name(then),
                promise = self.serial(*promise)
            )
            .to_string(),
            Job::Callback(f) => {
                t!("event_loop.js.job_callback", name = self.fn_name(f)).to_string()
            }
        }
    }

    fn log(&mut self, line: String) {
        if self.output.len() < MAX_OUTPUT {
            self.output.push(line);
        } else if self.error.is_none() {
            self.stop(format!("stopped after {MAX_OUTPUT} printed lines"));
        }
    }

    fn call_native(&mut self, n: Native, this: Value, args: Vec<Value>, exit: &Exit) -> Outcome {
        let arg = |i: usize| args.get(i).cloned().unwrap_or(Value::Undefined);
        match n {
            Native::ConsoleLog => {
                let parts: Vec<String> =
                    args.iter().map(|a| display(&self.heap, a, true)).collect();
                let line = parts.join(" ");
                self.log(line.clone());
                self.emit(
                    JsEventKind::Log,
                    t!("event_loop.js.log", line = line).to_string(),
                );
                Ok(Some(Value::Undefined))
            }
            Native::SetTimeout => {
                let callback = arg(0);
                if !self.is_callable(&callback) {
                    return Err(
                        self.make_error("TypeError", "setTimeout needs a function in the subset")
                    );
                }
                let delay = to_number(&arg(1));
                let delay = if delay.is_nan() || delay < 0.0 {
                    0.0
                } else {
                    delay
                };
                let id = self.next_timer;
                self.next_timer += 1;
                self.timer_seq += 1;
                let name = self.fn_name(&callback);
                let due_ms = self.now_ms + delay;
                self.timers.push(Timer {
                    id,
                    due_ms,
                    seq: self.timer_seq,
                    callback,
                    args: args.iter().skip(2).cloned().collect(),
                });
                self.used_timers = true;
                self.emit(
                    JsEventKind::Queue,
                    t!(
                        "event_loop.js.set_timeout",
                        id = id,
                        name = name,
                        due = number_text(due_ms)
                    )
                    .to_string(),
                );
                Ok(Some(Value::Num(f64::from(id))))
            }
            Native::ClearTimeout => {
                let id = to_number(&arg(0));
                let before = self.timers.len();
                self.timers.retain(|t| f64::from(t.id) != id);
                if self.timers.len() < before {
                    self.emit(
                        JsEventKind::Queue,
                        t!("event_loop.js.clear_timeout", id = number_text(id)).to_string(),
                    );
                }
                Ok(Some(Value::Undefined))
            }
            Native::QueueMicrotask => {
                let callback = arg(0);
                if !self.is_callable(&callback) {
                    return Err(self.make_error("TypeError", "queueMicrotask needs a function"));
                }
                let name = self.fn_name(&callback);
                self.enqueue(Job::Callback(callback));
                self.emit(
                    JsEventKind::Queue,
                    t!("event_loop.js.queue_microtask", name = name).to_string(),
                );
                Ok(Some(Value::Undefined))
            }
            Native::PromiseCtor => Err(self.make_error(
                "TypeError",
                "Promise constructor cannot be invoked without 'new'",
            )),
            Native::PromiseResolve => {
                let p = self.promise_resolve(arg(0));
                Ok(Some(Value::Obj(p)))
            }
            Native::PromiseReject => {
                let p = self.new_promise();
                self.reject(p, arg(0));
                Ok(Some(Value::Obj(p)))
            }
            Native::PromiseAll | Native::PromiseAllSettled => {
                self.promise_all(&arg(0), matches!(n, Native::PromiseAllSettled))
            }
            Native::PromiseRace => {
                let Some(items) = self.array_items(&arg(0)) else {
                    return Err(
                        self.make_error("TypeError", "Promise.race takes an array in the subset")
                    );
                };
                let result = self.new_promise();
                let already = Rc::new(Cell::new(false));
                let resolve = self.native(Native::Resolve(result, already.clone()));
                let reject = self.native(Native::Reject(result, already));
                for item in items {
                    let next = self.promise_resolve(item);
                    let derived = self.new_promise();
                    self.perform_then(
                        next,
                        Handler::Call(resolve.clone()),
                        Handler::Call(reject.clone()),
                        Some(derived),
                    );
                }
                Ok(Some(Value::Obj(result)))
            }
            Native::Then | Native::Catch | Native::Finally => {
                let Some(p) = self.is_promise(&this) else {
                    return Err(self.make_error(
                        "TypeError",
                        "then called on something that is not a promise",
                    ));
                };
                let (on_fulfilled, on_rejected) = match n {
                    Native::Then => (self.handler_of(&arg(0)), self.handler_of(&arg(1))),
                    Native::Catch => (Handler::Default, self.handler_of(&arg(0))),
                    _ if self.is_callable(&arg(0)) => {
                        let f = self.native(Native::FinallyWrap {
                            callback: arg(0),
                            rejected: false,
                        });
                        let r = self.native(Native::FinallyWrap {
                            callback: arg(0),
                            rejected: true,
                        });
                        (Handler::Call(f), Handler::Call(r))
                    }
                    _ => (Handler::Default, Handler::Default),
                };
                let derived = self.new_promise();
                self.perform_then(p, on_fulfilled, on_rejected, Some(derived));
                Ok(Some(Value::Obj(derived)))
            }
            Native::FinallyWrap { callback, rejected } => {
                let derived = match exit {
                    Exit::Reaction(d) => *d,
                    _ => None,
                };
                self.call(
                    callback,
                    Value::Undefined,
                    Vec::new(),
                    Exit::Finally {
                        derived,
                        outcome: arg(0),
                        rejected,
                    },
                );
                Ok(None)
            }
            Native::Now => Ok(Some(Value::Num(self.now_ms))),
            Native::Math(f) => {
                let x = to_number(&arg(0));
                Ok(Some(Value::Num(match f {
                    // JavaScript rounds halves up (towards +∞).
                    "round" => (x + 0.5).floor(),
                    "floor" => x.floor(),
                    "ceil" => x.ceil(),
                    "abs" => x.abs(),
                    "max" => args.iter().map(to_number).fold(f64::NEG_INFINITY, f64::max),
                    _ => args.iter().map(to_number).fold(f64::INFINITY, f64::min),
                })))
            }
            Native::ReportUncaught => {
                self.uncaught(&arg(0));
                Ok(Some(Value::Undefined))
            }
            Native::Thunk { value, throw } => {
                if throw {
                    Err(value)
                } else {
                    Ok(Some(value))
                }
            }
            Native::Resolve(p, already) => {
                if !already.replace(true) {
                    self.resolve(p, arg(0));
                }
                Ok(Some(Value::Undefined))
            }
            Native::Reject(p, already) => {
                if !already.replace(true) {
                    self.reject(p, arg(0));
                }
                Ok(Some(Value::Undefined))
            }
            Native::ErrorCtor(name) => {
                let message = match arg(0) {
                    Value::Undefined => String::new(),
                    m => to_text(&self.heap, &m),
                };
                Ok(Some(self.make_error(name, &message)))
            }
            Native::ArrayPush => {
                let Value::Obj(id) = this else {
                    return Ok(Some(Value::Undefined));
                };
                let Kind::Array(items) = &mut self.heap[id].kind else {
                    return Ok(Some(Value::Undefined));
                };
                items.extend(args);
                Ok(Some(Value::Num(items.len() as f64)))
            }
            // The first item out, the rest move up; an empty array gives undefined.
            Native::ArrayShift => {
                let Value::Obj(id) = this else {
                    return Ok(Some(Value::Undefined));
                };
                let Kind::Array(items) = &mut self.heap[id].kind else {
                    return Ok(Some(Value::Undefined));
                };
                Ok(Some(if items.is_empty() {
                    Value::Undefined
                } else {
                    items.remove(0)
                }))
            }
            Native::ArrayJoin => {
                let items = self.array_items(&this).unwrap_or_default();
                let sep = match arg(0) {
                    Value::Undefined => ",".to_string(),
                    s => to_text(&self.heap, &s),
                };
                let parts: Vec<String> = items
                    .iter()
                    .map(|i| match i {
                        Value::Undefined | Value::Null => String::new(),
                        other => to_text(&self.heap, other),
                    })
                    .collect();
                Ok(Some(Value::Str(parts.join(&sep).into())))
            }
            Native::AllElement {
                index,
                values,
                remaining,
                result,
                settled,
                rejected,
                called,
            } => {
                if called.replace(true) {
                    return Ok(Some(Value::Undefined));
                }
                let v = if settled {
                    let obj = self.alloc(Kind::Plain);
                    let status = if rejected { "rejected" } else { "fulfilled" };
                    self.heap[obj].set("status", Value::str(status));
                    self.heap[obj].set(if rejected { "reason" } else { "value" }, arg(0));
                    Value::Obj(obj)
                } else {
                    arg(0)
                };
                if let Kind::Array(items) = &mut self.heap[values].kind {
                    items[index] = v;
                }
                remaining.set(remaining.get() - 1);
                if remaining.get() == 0 {
                    self.resolve(result, Value::Obj(values));
                }
                Ok(Some(Value::Undefined))
            }
        }
    }

    fn array_items(&self, v: &Value) -> Option<Vec<Value>> {
        match v {
            Value::Obj(id) => match &self.heap[*id].kind {
                Kind::Array(items) => Some(items.clone()),
                _ => None,
            },
            _ => None,
        }
    }

    /// `Promise.all` / `allSettled` as the spec writes them: each element through
    /// `Promise.resolve` and `then`, a countdown that starts at one.
    fn promise_all(&mut self, iterable: &Value, settled: bool) -> Outcome {
        let Some(items) = self.array_items(iterable) else {
            return Err(self.make_error("TypeError", "Promise.all takes an array in the subset"));
        };
        let result = self.new_promise();
        let values = self.alloc(Kind::Array(vec![Value::Undefined; items.len()]));
        let remaining = Rc::new(Cell::new(1));
        let already = Rc::new(Cell::new(false));
        let reject = self.native(Native::Reject(result, already));
        for (index, item) in items.into_iter().enumerate() {
            let next = self.promise_resolve(item);
            let called = Rc::new(Cell::new(false));
            let element = |rejected| Native::AllElement {
                index,
                values,
                remaining: remaining.clone(),
                result,
                settled,
                rejected,
                called: called.clone(),
            };
            remaining.set(remaining.get() + 1);
            let on_fulfilled = self.native(element(false));
            let on_rejected = if settled {
                self.native(element(true))
            } else {
                reject.clone()
            };
            let derived = self.new_promise();
            self.perform_then(
                next,
                Handler::Call(on_fulfilled),
                Handler::Call(on_rejected),
                Some(derived),
            );
        }
        remaining.set(remaining.get() - 1);
        if remaining.get() == 0 {
            self.resolve(result, Value::Obj(values));
        }
        Ok(Some(Value::Obj(result)))
    }

    /// The machine as the page draws it.
    pub fn snapshot(&self) -> JsSnapshot {
        let mut timers: Vec<&Timer> = self.timers.iter().collect();
        timers.sort_by(|a, b| a.due_ms.total_cmp(&b.due_ms).then(a.seq.cmp(&b.seq)));
        JsSnapshot {
            stack: self.stack.iter().map(|f| f.code.name.to_string()).collect(),
            microtasks: self
                .microtasks
                .iter()
                .map(|j| self.describe_job(j))
                .collect(),
            timers: timers
                .iter()
                .map(|t| {
                    (
                        t.due_ms,
                        format!("timer {}: {}", t.id, self.fn_name(&t.callback)),
                    )
                })
                .collect(),
            waiting: self
                .suspended
                .iter()
                .flatten()
                .map(|(f, p)| format!("{} awaits promise #{}", f.code.name, self.serial(*p)))
                .collect(),
            output: self.output.clone(),
            now_ms: self.now_ms,
            line: self.line,
            finished: self.finished,
            error: self.error.clone(),
        }
    }
}

fn strict_equals(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Num(x), Value::Num(y)) => x == y,
        _ => a == b,
    }
}

fn type_of(heap: &[Obj], v: &Value) -> &'static str {
    match v {
        Value::Undefined => "undefined",
        Value::Null => "object",
        Value::Bool(_) => "boolean",
        Value::Num(_) => "number",
        Value::Str(_) => "string",
        Value::Obj(id) => match heap[*id].kind {
            Kind::Closure { .. } | Kind::Native(_) => "function",
            _ => "object",
        },
    }
}

fn native_name(n: &Native) -> &'static str {
    match n {
        Native::ConsoleLog => "console.log",
        Native::SetTimeout => "setTimeout",
        Native::ClearTimeout => "clearTimeout",
        Native::QueueMicrotask => "queueMicrotask",
        Native::PromiseCtor => "Promise",
        Native::PromiseResolve => "Promise.resolve",
        Native::PromiseReject => "Promise.reject",
        Native::PromiseAll => "Promise.all",
        Native::PromiseAllSettled => "Promise.allSettled",
        Native::PromiseRace => "Promise.race",
        Native::Then => "then",
        Native::Catch => "catch",
        Native::Finally => "finally",
        Native::ErrorCtor(_) => "Error",
        Native::ArrayPush => "push",
        Native::ArrayShift => "shift",
        Native::ArrayJoin => "join",
        Native::Resolve(..) => "resolve",
        Native::Reject(..) => "reject",
        Native::AllElement { .. } => "Promise.all element",
        Native::FinallyWrap { .. } => "finally callback",
        Native::Thunk { .. } => "pass on the outcome",
        Native::ReportUncaught => "report uncaught",
        Native::Now => "now",
        Native::Math(f) => f,
    }
}
