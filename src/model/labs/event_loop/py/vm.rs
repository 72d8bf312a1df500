//! The Python model's machine: frames running compiled operations, generators and
//! coroutines that keep their frames between steps, and asyncio's event loop as CPython 3.11
//! runs it (`BaseEventLoop._run_once`): one iteration runs the handles that were ready when
//! it began (new ones wait for the next), moving due timers in first; a task's step runs its
//! coroutine until it awaits a pending future, whose done callback (one more handle) wakes it.

use super::compile::{Code, Lit, Op};
use super::life_cycle::{Moves, TaskPhase};
use super::value::{
    Builtin, Fut, FutState, Kind, Obj, ObjId, Resumable, TaskData, Value, class_name, derives,
    format_spec, range_len, show, truthy,
};
use std::collections::VecDeque;
use std::rc::Rc;

pub const MAX_OPS: u64 = 2_000_000;
const MAX_OBJECTS: usize = 200_000;
const MAX_OUTPUT: usize = 2_000;
const MAX_DEPTH: usize = 300;

#[derive(Clone, Debug)]
pub enum Exit {
    /// The result goes on the caller's stack; an exception unwinds into the caller.
    Value,
    /// A module's top level: its end starts what comes next.
    Module,
    /// A callback the loop runs: an exception is reported (as asyncio logs it) and dropped.
    Handle,
    /// The bottom of a task's coroutine: its outcome settles the task.
    TaskBase(ObjId),
    /// A generator resumed by `next` / `send`.
    GenSend(ObjId),
    /// A generator resumed by a `for` loop, which ends at the given operation.
    GenFor(ObjId, usize),
}

#[derive(Clone, Debug)]
pub struct Frame {
    code: Rc<Code>,
    pc: usize,
    stack: Vec<Value>,
    env: usize,
    handlers: Vec<(usize, usize)>,
    handling: Vec<Value>,
    exit: Exit,
    /// The generator or coroutine this frame belongs to.
    owner: Option<ObjId>,
    /// The future this frame awaits (its result is the `await`'s value on resumption).
    awaiting: Option<ObjId>,
}

#[derive(Clone, Debug)]
struct Env {
    vars: Vec<(Rc<str>, Value)>,
    parent: Option<usize>,
}

#[derive(Clone, Debug)]
struct Handle {
    callback: Value,
    args: Vec<Value>,
    /// The handle object `call_soon` / `call_later` returned, for `cancel`.
    object: Option<ObjId>,
}

#[derive(Clone, Debug)]
struct Timer {
    when: f64,
    seq: u64,
    handle: Handle,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PyEventKind {
    Iteration,
    Handle,
    Call,
    Return,
    Await,
    Schedule,
    Settle,
    Print,
    Error,
    Done,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PyEvent {
    pub kind: PyEventKind,
    pub text: String,
    pub line: u32,
}

/// The machine as the page draws it.
#[derive(Clone, Debug, PartialEq)]
pub struct PySnapshot {
    /// Innermost last; the model's asyncio frames are marked "(asyncio)".
    pub stack: Vec<String>,
    pub ready: Vec<String>,
    pub timers: Vec<(f64, String)>,
    /// Every task: name and state.
    pub tasks: Vec<String>,
    /// Every task's name and phase, in the order of `tasks`.
    pub task_names: Vec<String>,
    pub phases: Vec<TaskPhase>,
    /// The phase changes of all tasks so far.
    pub moves: Moves,
    pub output: Vec<String>,
    pub now_ms: f64,
    pub line: u32,
    pub finished: bool,
    pub error: Option<String>,
}

pub struct PyMachine {
    heap: Vec<Obj>,
    envs: Vec<Env>,
    library: usize,
    stack: Vec<Frame>,
    /// Frames waiting in `run_until_complete` for the loop, and the future it waits for.
    parked: Vec<(Vec<Frame>, ObjId)>,
    modules: VecDeque<(Rc<Code>, usize)>,
    loop_obj: Option<ObjId>,
    running: bool,
    stopping: bool,
    ready: VecDeque<Handle>,
    batch: usize,
    timers: Vec<Timer>,
    timer_seq: u64,
    now: f64,
    current_task: Option<ObjId>,
    tasks: Vec<ObjId>,
    /// Tasks whose phase may have changed in the current operation.
    touched: Vec<ObjId>,
    /// Every phase change of every task so far.
    moves: Moves,
    task_names: usize,
    futures: usize,
    output: Vec<String>,
    partial: String,
    logged: Vec<String>,
    events: VecDeque<PyEvent>,
    ops: u64,
    line: u32,
    finished: bool,
    error: Option<String>,
    uncaught: Option<String>,
    iterations: u64,
}

type Res<T> = Result<T, Value>;

impl PyMachine {
    pub fn new(library: Rc<Code>, program: Rc<Code>) -> PyMachine {
        let mut m = PyMachine {
            heap: Vec::new(),
            envs: Vec::new(),
            library: 1,
            stack: Vec::new(),
            parked: Vec::new(),
            modules: VecDeque::new(),
            loop_obj: None,
            running: false,
            stopping: false,
            ready: VecDeque::new(),
            batch: 0,
            timers: Vec::new(),
            timer_seq: 0,
            now: 0.0,
            current_task: None,
            tasks: Vec::new(),
            touched: Vec::new(),
            moves: Moves::default(),
            task_names: 0,
            futures: 0,
            output: Vec::new(),
            partial: String::new(),
            logged: Vec::new(),
            events: VecDeque::new(),
            ops: 0,
            line: 1,
            finished: false,
            error: None,
            uncaught: None,
            iterations: 0,
        };
        m.envs.push(Env {
            vars: Vec::new(),
            parent: None,
        });
        let library_env = m.new_env(Some(0));
        let program_env = m.new_env(Some(0));
        m.library = library_env;
        m.install_builtins();
        m.modules.push_back((library, library_env));
        m.modules.push_back((program, program_env));
        m
    }

    fn new_env(&mut self, parent: Option<usize>) -> usize {
        self.envs.push(Env {
            vars: Vec::new(),
            parent,
        });
        self.envs.len() - 1
    }

    fn alloc(&mut self, kind: Kind) -> ObjId {
        self.heap.push(Obj { kind });
        self.heap.len() - 1
    }

    fn obj(&mut self, kind: Kind) -> Value {
        Value::Obj(self.alloc(kind))
    }

    fn install_builtins(&mut self) {
        use Builtin::*;
        let names: [(&str, Builtin); 25] = [
            ("_event_loop", EventLoop),
            ("print", Print),
            ("len", Len),
            ("range", Range),
            ("str", Str),
            ("repr", Repr),
            ("int", Int),
            ("float", Float),
            ("round", Round),
            ("next", Next),
            ("list", List),
            ("abs", Abs),
            ("min", Min),
            ("max", Max),
            ("sum", Sum),
            ("sorted", Sorted),
            ("_get_running_loop", GetRunningLoop),
            ("_new_event_loop", NewEventLoop),
            ("_close_event_loop", CloseEventLoop),
            ("_all_tasks", AllTasks),
            ("_current_task", CurrentTask),
            ("_yield_once", YieldOnce),
            ("_is_future", IsFuture),
            ("_future", FutureNew),
            ("_stop_loop", StopLoop),
        ];
        for (name, b) in names {
            let v = self.obj(Kind::Builtin(b));
            self.envs[0].vars.push((name.into(), v));
        }
        for (name, _) in super::value::EXCEPTIONS {
            let v = self.obj(Kind::Class(name));
            self.envs[0].vars.push((name.into(), v));
        }
    }

    fn emit(&mut self, kind: PyEventKind, text: String) {
        let line = self.line;
        self.events.push_back(PyEvent { kind, text, line });
    }

    pub fn output(&self) -> Vec<String> {
        let mut out = self.output.clone();
        if !self.partial.is_empty() {
            out.push(self.partial.clone());
        }
        out
    }

    pub fn now_ms(&self) -> f64 {
        self.now * 1000.0
    }

    pub fn is_finished(&self) -> bool {
        self.finished
    }

    pub fn error(&self) -> Option<&str> {
        self.error.as_deref()
    }

    /// The exception that ended the program, as the traceback's last line says it.
    pub fn uncaught(&self) -> Option<&str> {
        self.uncaught.as_deref()
    }

    /// What asyncio would log (exceptions in callbacks).
    pub fn logged(&self) -> &[String] {
        &self.logged
    }

    pub fn step(&mut self) -> Option<PyEvent> {
        while self.events.is_empty() && !self.finished {
            if self.ops >= MAX_OPS {
                self.stop(format!(
                    "stopped after {MAX_OPS} operations: an endless loop?"
                ));
                break;
            }
            if self.heap.len() > MAX_OBJECTS {
                self.stop(format!("stopped: more than {MAX_OBJECTS} objects"));
                break;
            }
            self.ops += 1;
            let current = self.current_task;
            if !self.stack.is_empty() {
                self.exec();
            } else if self.running {
                self.loop_turn();
            } else if let Some((code, env)) = self.modules.pop_front() {
                self.push_frame(code, env, Exit::Module, None);
            } else {
                self.finished = true;
                let text = match &self.uncaught {
                    Some(e) => t!("event_loop.py.ended_with", error = e).to_string(),
                    None => t!("event_loop.py.done").to_string(),
                };
                self.emit(PyEventKind::Done, text);
            }
            self.track_phases(current);
        }
        self.events.pop_front()
    }

    /// Counts the phase changes of the tasks one operation may have moved: the ones it
    /// created or settled or woke, and the ones that lost or took the call stack. Only
    /// those, so a program with many tasks pays per change, not per task and operation.
    fn track_phases(&mut self, current_before: Option<ObjId>) {
        if self.current_task != current_before {
            self.touched.extend(current_before);
            self.touched.extend(self.current_task);
        }
        for id in std::mem::take(&mut self.touched) {
            let now = self.task_phase(id);
            let Some(t) = self.task_mut(id) else { continue };
            if t.phase == now {
                continue;
            }
            let before = std::mem::replace(&mut t.phase, now);
            // A task ends only while it runs; one resumed and ended within one operation
            // (cancelled before its first step, or raising with no handler) ran meanwhile.
            let ended = matches!(
                now,
                TaskPhase::Done | TaskPhase::Failed | TaskPhase::Cancelled
            );
            if ended && before != TaskPhase::Running {
                if before != TaskPhase::Ready {
                    self.moves.add(before, TaskPhase::Ready);
                }
                self.moves.add(TaskPhase::Ready, TaskPhase::Running);
                self.moves.add(TaskPhase::Running, now);
            } else {
                self.moves.add(before, now);
            }
        }
    }

    /// Where task `t` is in its life (see [`TaskPhase`]).
    fn task_phase(&self, t: ObjId) -> TaskPhase {
        let Kind::Future(f) = &self.heap[t].kind else {
            return TaskPhase::Created;
        };
        match (&f.state, f.task.as_ref().and_then(|d| d.fut_waiter)) {
            (FutState::Pending, _) if Some(t) == self.current_task => TaskPhase::Running,
            (FutState::Pending, Some(w)) if !self.is_done(w) => TaskPhase::Waiting,
            (FutState::Pending, _) => TaskPhase::Ready,
            (FutState::Result(_), _) => TaskPhase::Done,
            (FutState::Exception(_), _) => TaskPhase::Failed,
            (FutState::Cancelled, _) => TaskPhase::Cancelled,
        }
    }

    fn stop(&mut self, message: String) {
        self.error = Some(message.clone());
        self.finished = true;
        self.stack.clear();
        self.emit(PyEventKind::Error, message);
    }

    fn push_frame(&mut self, code: Rc<Code>, env: usize, exit: Exit, owner: Option<ObjId>) {
        if self.stack.len() >= MAX_DEPTH {
            let e = self.exception("RecursionError", "maximum recursion depth exceeded");
            self.raise(e);
            return;
        }
        self.stack.push(Frame {
            code,
            pc: 0,
            stack: Vec::new(),
            env,
            handlers: Vec::new(),
            handling: Vec::new(),
            exit,
            owner,
            awaiting: None,
        });
    }

    fn top(&mut self) -> &mut Frame {
        self.stack.last_mut().expect("a running frame")
    }

    fn pop(&mut self) -> Value {
        self.top().stack.pop().unwrap_or(Value::None)
    }

    fn push(&mut self, v: Value) {
        self.top().stack.push(v);
    }

    fn pop_n(&mut self, n: usize) -> Vec<Value> {
        let stack = &mut self.top().stack;
        let at = stack.len().saturating_sub(n);
        stack.split_off(at)
    }

    fn exception(&mut self, class: &'static str, message: &str) -> Value {
        let args = if message.is_empty() {
            Vec::new()
        } else {
            vec![Value::str(message)]
        };
        self.obj(Kind::Exception { class, args })
    }

    fn class_of(&self, e: &Value) -> &'static str {
        match e {
            Value::Obj(id) => match &self.heap[*id].kind {
                Kind::Exception { class, .. } => class,
                _ => "?",
            },
            _ => "?",
        }
    }

    /// "ValueError: bad", as a traceback's last line.
    fn exception_line(&self, e: &Value) -> String {
        let text = show(&self.heap, e, false);
        let class = self.class_of(e);
        let class = if class == "CancelledError" {
            "asyncio.exceptions.CancelledError"
        } else {
            class
        };
        if text.is_empty() {
            class.to_string()
        } else {
            format!("{class}: {text}")
        }
    }

    fn exec(&mut self) {
        let frame = self.top();
        let Some(op) = frame.code.ops.get(frame.pc).cloned() else {
            self.finish_frame(Value::None);
            return;
        };
        frame.pc += 1;
        if let Err(e) = self.exec_op(op) {
            self.raise(e);
        }
    }

    fn lookup(&mut self, name: &str) -> Res<Value> {
        let mut env = Some(self.top().env);
        while let Some(id) = env {
            if let Some((_, v)) = self.envs[id].vars.iter().find(|(n, _)| &**n == name) {
                return Ok(v.clone());
            }
            env = self.envs[id].parent;
        }
        Err(self.exception("NameError", &format!("name '{name}' is not defined")))
    }

    fn set_var(&mut self, env: usize, name: &Rc<str>, v: Value) {
        let vars = &mut self.envs[env].vars;
        match vars.iter_mut().find(|(n, _)| n == name) {
            Some(slot) => slot.1 = v,
            None => vars.push((name.clone(), v)),
        }
    }

    /// The module scope of the running frame (the program's or the model asyncio's).
    fn module_env(&self) -> usize {
        let mut env = self.stack.last().map_or(0, |f| f.env);
        while let Some(parent) = self.envs[env].parent {
            if parent == 0 {
                return env;
            }
            env = parent;
        }
        env
    }

    fn exec_op(&mut self, op: Op) -> Res<()> {
        match op {
            Op::Line(pos) => {
                if !self.top().code.library {
                    self.line = pos.line;
                }
            }
            Op::Const(lit) => self.push(match lit {
                Lit::None => Value::None,
                Lit::Bool(b) => Value::Bool(b),
                Lit::Int(n) => Value::Int(n),
                Lit::Float(f) => Value::Float(f),
                Lit::Str(s) => Value::Str(s),
            }),
            Op::Load(name, _) => {
                let v = self.lookup(&name)?;
                self.push(v);
            }
            Op::StoreLocal(name) => {
                let v = self.pop();
                let env = self.top().env;
                self.set_var(env, &name, v);
            }
            Op::StoreGlobal(name) => {
                let v = self.pop();
                let env = self.module_env();
                self.set_var(env, &name, v);
            }
            Op::StoreNonlocal(name) => {
                let v = self.pop();
                let current = self.top().env;
                let mut env = self.envs[current].parent;
                while let Some(id) = env {
                    if self.envs[id].vars.iter().any(|(n, _)| *n == name) {
                        self.set_var(id, &name, v);
                        return Ok(());
                    }
                    env = self.envs[id].parent;
                }
                return Err(self.exception(
                    "NameError",
                    &format!("no binding for nonlocal '{name}' found"),
                ));
            }
            Op::Function(code, defaults) => {
                let defaults = self.pop_n(defaults);
                let env = self.top().env;
                let f = self.obj(Kind::Function {
                    code,
                    env,
                    defaults,
                });
                self.push(f);
            }
            Op::List(n) => {
                let items = self.pop_n(n);
                let v = self.obj(Kind::List(items));
                self.push(v);
            }
            Op::Tuple(n) => {
                let items = self.pop_n(n);
                let v = self.obj(Kind::Tuple(items));
                self.push(v);
            }
            Op::Dict(n) => {
                let items = self.pop_n(2 * n);
                let mut pairs: Vec<(Value, Value)> = Vec::new();
                for kv in items.chunks(2) {
                    match pairs.iter().position(|(k, _)| self.equals(k, &kv[0])) {
                        Some(i) => pairs[i].1 = kv[1].clone(),
                        None => pairs.push((kv[0].clone(), kv[1].clone())),
                    }
                }
                let v = self.obj(Kind::Dict(pairs));
                self.push(v);
            }
            Op::ListAppend(name) => {
                let v = self.pop();
                if let Value::Obj(id) = self.lookup(&name)?
                    && let Kind::List(xs) = &mut self.heap[id].kind
                {
                    xs.push(v);
                }
            }
            Op::GetAttr(name, _) => {
                let obj = self.pop();
                let v = self.get_attr(&obj, &name)?;
                self.push(v);
            }
            Op::SetAttr(name, _) => {
                let obj = self.pop();
                let _value = self.pop();
                let shown = show(&self.heap, &obj, true);
                return Err(self.exception(
                    "AttributeError",
                    &format!("cannot set '{name}' on {shown}: objects of the subset have no settable attributes"),
                ));
            }
            Op::GetItem(_) => {
                let key = self.pop();
                let obj = self.pop();
                let v = self.get_item(&obj, &key)?;
                self.push(v);
            }
            Op::SetItem(_) => {
                let key = self.pop();
                let obj = self.pop();
                let value = self.pop();
                self.set_item(&obj, key, value)?;
            }
            Op::Call {
                args,
                keywords,
                star,
                ..
            } => {
                let kw_values = self.pop_n(keywords.len());
                let mut positional = self.pop_n(args);
                if star {
                    let last = positional.pop().unwrap_or(Value::None);
                    positional.extend(self.iterate(&last)?);
                }
                let callee = self.pop();
                let kwargs: Vec<(Rc<str>, Value)> =
                    keywords.iter().cloned().zip(kw_values).collect();
                self.call(callee, positional, kwargs, Exit::Value)?;
            }
            Op::Unary(op, _) => {
                let v = self.pop();
                let r = match (op, &v) {
                    ("not", _) => Value::Bool(!truthy(&self.heap, &v)),
                    ("-", Value::Int(n)) => {
                        Value::Int(n.checked_neg().ok_or_else(|| self.too_big())?)
                    }
                    ("-", Value::Float(f)) => Value::Float(-f),
                    ("-", Value::Bool(b)) => Value::Int(-i64::from(*b)),
                    ("+", Value::Int(_) | Value::Float(_)) => v.clone(),
                    _ => {
                        let t = self.type_name(&v);
                        return Err(self.exception(
                            "TypeError",
                            &format!("bad operand type for unary {op}: '{t}'"),
                        ));
                    }
                };
                self.push(r);
            }
            Op::Binary(op, _) => {
                let right = self.pop();
                let left = self.pop();
                let v = self.binary(op, &left, &right)?;
                self.push(v);
            }
            Op::Jump(to) => self.top().pc = to,
            Op::JumpIfFalse(to) => {
                let v = self.pop();
                if !truthy(&self.heap, &v) {
                    self.top().pc = to;
                }
            }
            Op::JumpIfFalseKeep(to) | Op::JumpIfTrueKeep(to) => {
                let v = self.top().stack.last().cloned().unwrap_or(Value::None);
                let t = truthy(&self.heap, &v);
                if t == matches!(op, Op::JumpIfTrueKeep(_)) {
                    self.top().pc = to;
                } else {
                    self.pop();
                }
            }
            Op::Pop => {
                self.pop();
            }
            Op::Dup => {
                let v = self.top().stack.last().cloned().unwrap_or(Value::None);
                self.push(v);
            }
            Op::Return => {
                let v = self.pop();
                self.finish_frame(v);
            }
            Op::Await(_) => {
                let v = self.pop();
                self.await_value(v)?;
            }
            Op::Yield(_) => {
                let v = self.pop();
                self.yield_value(v);
            }
            Op::GetIter(_) => {
                let v = self.pop();
                let it = self.get_iter(v)?;
                self.push(it);
            }
            Op::ForIter(end) => self.for_iter(end)?,
            Op::Unpack(n, _) => {
                let v = self.pop();
                let items = self.iterate(&v)?;
                if items.len() != n {
                    return Err(self.exception(
                        "ValueError",
                        &format!("expected {n} values to unpack, got {}", items.len()),
                    ));
                }
                // Pushed in reverse: the first target is assigned first.
                for item in items.into_iter().rev() {
                    self.push(item);
                }
            }
            Op::SetupHandler(target) => {
                let depth = self.top().stack.len();
                self.top().handlers.push((target, depth));
            }
            Op::PopHandler => {
                self.top().handlers.pop();
            }
            Op::EnterHandling => {
                let e = self.top().stack.last().cloned().unwrap_or(Value::None);
                self.top().handling.push(e);
            }
            Op::ExitHandling => {
                self.top().handling.pop();
            }
            Op::Matches(types) => {
                let e = self.top().stack.last().cloned().unwrap_or(Value::None);
                let class = self.class_of(&e);
                let hit = types.iter().any(|t| derives(class, t));
                self.push(Value::Bool(hit));
            }
            Op::Raise(with_value, _) => {
                if !with_value {
                    return Err(match self.top().handling.last().cloned() {
                        Some(e) => e,
                        None => self.exception("RuntimeError", "No active exception to reraise"),
                    });
                }
                let v = self.pop();
                return Err(self.as_exception(v));
            }
            Op::Reraise => {
                let e = self.pop();
                return Err(e);
            }
            Op::Format(conversion, spec, _) => {
                let v = self.pop();
                let v = match conversion {
                    Some('r') => Value::Str(show(&self.heap, &v, true).into()),
                    Some(_) => Value::Str(show(&self.heap, &v, false).into()),
                    None => v,
                };
                let text = format_spec(&self.heap, &v, &spec)
                    .map_err(|m| self.exception("ValueError", &m))?;
                self.push(Value::Str(text.into()));
            }
            Op::Concat(n) => {
                let parts = self.pop_n(n);
                let text: String = parts.iter().map(|p| show(&self.heap, p, false)).collect();
                self.push(Value::Str(text.into()));
            }
            Op::Import(name) => {
                let m = self.obj(Kind::Module(if &*name == "asyncio" {
                    "asyncio"
                } else {
                    "time"
                }));
                self.push(m);
            }
        }
        Ok(())
    }

    fn too_big(&mut self) -> Value {
        self.exception(
            "OverflowError",
            "the integer is too large for the subset (64 bits)",
        )
    }

    fn as_exception(&mut self, v: Value) -> Value {
        match &v {
            Value::Obj(id) => match self.heap[*id].kind.clone() {
                Kind::Exception { .. } => v,
                Kind::Class(class) => self.obj(Kind::Exception {
                    class,
                    args: Vec::new(),
                }),
                _ => self.exception("TypeError", "exceptions must derive from BaseException"),
            },
            _ => self.exception("TypeError", "exceptions must derive from BaseException"),
        }
    }

    fn type_name(&self, v: &Value) -> &'static str {
        match v {
            Value::None => "NoneType",
            Value::Bool(_) => "bool",
            Value::Int(_) => "int",
            Value::Float(_) => "float",
            Value::Str(_) => "str",
            Value::Obj(id) => match &self.heap[*id].kind {
                Kind::List(_) => "list",
                Kind::Tuple(_) => "tuple",
                Kind::Dict(_) => "dict",
                Kind::Function { .. } => "function",
                Kind::Builtin(_) | Kind::Bound(..) => "builtin_function_or_method",
                Kind::Generator(_) => "generator",
                Kind::Coroutine(_) => "coroutine",
                Kind::Future(f) if f.task.is_some() => "Task",
                Kind::Future(_) => "Future",
                Kind::Handle { .. } => "Handle",
                Kind::Exception { class, .. } => class,
                Kind::Class(_) => "type",
                Kind::Module(_) => "module",
                Kind::Loop => "_UnixSelectorEventLoop",
                Kind::YieldOnce => "sleep0",
                Kind::Iter { .. } => "iterator",
                Kind::Range { .. } => "range",
            },
        }
    }

    // ---- values ----

    fn equals(&self, a: &Value, b: &Value) -> bool {
        match (a, b) {
            (Value::Int(x), Value::Float(y)) | (Value::Float(y), Value::Int(x)) => {
                (*x as f64) == *y
            }
            (Value::Bool(x), Value::Int(y)) | (Value::Int(y), Value::Bool(x)) => {
                i64::from(*x) == *y
            }
            (Value::Obj(x), Value::Obj(y)) if x != y => {
                match (&self.heap[*x].kind, &self.heap[*y].kind) {
                    (Kind::List(p), Kind::List(q)) | (Kind::Tuple(p), Kind::Tuple(q)) => {
                        p.len() == q.len() && p.iter().zip(q).all(|(a, b)| self.equals(a, b))
                    }
                    (Kind::Dict(p), Kind::Dict(q)) => {
                        p.len() == q.len()
                            && p.iter().all(|(k, v)| {
                                q.iter()
                                    .any(|(k2, v2)| self.equals(k, k2) && self.equals(v, v2))
                            })
                    }
                    _ => false,
                }
            }
            _ => a == b,
        }
    }

    fn number(v: &Value) -> Option<f64> {
        match v {
            Value::Int(n) => Some(*n as f64),
            Value::Float(f) => Some(*f),
            Value::Bool(b) => Some(f64::from(u8::from(*b))),
            _ => None,
        }
    }

    fn int(v: &Value) -> Option<i64> {
        match v {
            Value::Int(n) => Some(*n),
            Value::Bool(b) => Some(i64::from(*b)),
            _ => None,
        }
    }

    fn binary(&mut self, op: &str, a: &Value, b: &Value) -> Res<Value> {
        match op {
            "==" => return Ok(Value::Bool(self.equals(a, b))),
            "!=" => return Ok(Value::Bool(!self.equals(a, b))),
            "is" | "is not" => {
                let same = match (a, b) {
                    (Value::Obj(x), Value::Obj(y)) => x == y,
                    _ => a == b,
                };
                return Ok(Value::Bool(same == (op == "is")));
            }
            "in" | "not in" => {
                let found = match (b, a) {
                    (Value::Str(hay), Value::Str(needle)) => hay.contains(&**needle),
                    (Value::Obj(id), _) => match &self.heap[*id].kind {
                        Kind::List(xs) | Kind::Tuple(xs) => xs.iter().any(|x| self.equals(x, a)),
                        Kind::Dict(pairs) => pairs.iter().any(|(k, _)| self.equals(k, a)),
                        Kind::Range { .. } => self.iterate(b)?.iter().any(|x| self.equals(x, a)),
                        _ => {
                            return Err(
                                self.exception("TypeError", "argument of type is not iterable")
                            );
                        }
                    },
                    _ => {
                        return Err(self.exception("TypeError", "argument of type is not iterable"));
                    }
                };
                return Ok(Value::Bool(found == (op == "in")));
            }
            _ => {}
        }
        if let (Some(x), Some(y)) = (Self::int(a), Self::int(b)) {
            let r = match op {
                "+" => x.checked_add(y),
                "-" => x.checked_sub(y),
                "*" => x.checked_mul(y),
                "**" if y >= 0 => u32::try_from(y).ok().and_then(|e| x.checked_pow(e)),
                "**" => return Ok(Value::Float((x as f64).powf(y as f64))),
                "/" | "//" | "%" if y == 0 => {
                    let what = if op == "/" {
                        "division by zero"
                    } else {
                        "integer division or modulo by zero"
                    };
                    return Err(self.exception("ZeroDivisionError", what));
                }
                "/" => return Ok(Value::Float(x as f64 / y as f64)),
                "//" => Some(x.div_euclid(y) - i64::from(y < 0 && x.rem_euclid(y) != 0)),
                "%" => Some(x - y * (x.div_euclid(y) - i64::from(y < 0 && x.rem_euclid(y) != 0))),
                "<" => return Ok(Value::Bool(x < y)),
                ">" => return Ok(Value::Bool(x > y)),
                "<=" => return Ok(Value::Bool(x <= y)),
                ">=" => return Ok(Value::Bool(x >= y)),
                _ => None,
            };
            return r.map(Value::Int).ok_or_else(|| self.too_big());
        }
        if let (Some(x), Some(y)) = (Self::number(a), Self::number(b)) {
            return Ok(match op {
                "+" => Value::Float(x + y),
                "-" => Value::Float(x - y),
                "*" => Value::Float(x * y),
                "**" => Value::Float(x.powf(y)),
                "/" | "//" | "%" if y == 0.0 => {
                    return Err(self.exception("ZeroDivisionError", "float division by zero"));
                }
                "/" => Value::Float(x / y),
                "//" => Value::Float((x / y).floor()),
                "%" => Value::Float(x - y * (x / y).floor()),
                "<" => Value::Bool(x < y),
                ">" => Value::Bool(x > y),
                "<=" => Value::Bool(x <= y),
                ">=" => Value::Bool(x >= y),
                _ => return Err(self.unsupported(op, a, b)),
            });
        }
        match (op, a, b) {
            ("+", Value::Str(x), Value::Str(y)) => Ok(Value::Str(format!("{x}{y}").into())),
            ("*", Value::Str(s), n) | ("*", n, Value::Str(s)) if Self::int(n).is_some() => Ok(
                Value::Str(s.repeat(Self::int(n).unwrap_or(0).max(0) as usize).into()),
            ),
            ("<" | ">" | "<=" | ">=", Value::Str(x), Value::Str(y)) => Ok(Value::Bool(match op {
                "<" => x < y,
                ">" => x > y,
                "<=" => x <= y,
                _ => x >= y,
            })),
            ("+", Value::Obj(x), Value::Obj(y)) => match (&self.heap[*x].kind, &self.heap[*y].kind)
            {
                (Kind::List(p), Kind::List(q)) => {
                    let items = p.iter().chain(q).cloned().collect();
                    Ok(self.obj(Kind::List(items)))
                }
                (Kind::Tuple(p), Kind::Tuple(q)) => {
                    let items = p.iter().chain(q).cloned().collect();
                    Ok(self.obj(Kind::Tuple(items)))
                }
                _ => Err(self.unsupported(op, a, b)),
            },
            ("*", Value::Obj(x), n) if Self::int(n).is_some() => match &self.heap[*x].kind {
                Kind::List(p) => {
                    let times = Self::int(n).unwrap_or(0).max(0) as usize;
                    let items = p.iter().cloned().cycle().take(p.len() * times).collect();
                    Ok(self.obj(Kind::List(items)))
                }
                _ => Err(self.unsupported(op, a, b)),
            },
            _ => Err(self.unsupported(op, a, b)),
        }
    }

    fn unsupported(&mut self, op: &str, a: &Value, b: &Value) -> Value {
        let (ta, tb) = (self.type_name(a), self.type_name(b));
        self.exception(
            "TypeError",
            &format!("unsupported operand type(s) for {op}: '{ta}' and '{tb}'"),
        )
    }

    /// A sequence's items, for unpacking, `*args` and builtins.
    fn iterate(&mut self, v: &Value) -> Res<Vec<Value>> {
        match v {
            Value::Str(s) => Ok(s
                .chars()
                .map(|c| Value::Str(c.to_string().into()))
                .collect()),
            Value::Obj(id) => match &self.heap[*id].kind {
                Kind::List(xs) | Kind::Tuple(xs) => Ok(xs.clone()),
                Kind::Dict(pairs) => Ok(pairs.iter().map(|(k, _)| k.clone()).collect()),
                Kind::Range { start, stop, step } => {
                    let (start, step) = (*start, *step);
                    Ok((0..range_len(start, *stop, step))
                        .map(|i| Value::Int(start + i as i64 * step))
                        .collect())
                }
                _ => {
                    let t = self.type_name(v);
                    Err(self.exception("TypeError", &format!("'{t}' object is not iterable here (the subset iterates lists, tuples, dicts, strings and ranges)")))
                }
            },
            _ => {
                let t = self.type_name(v);
                Err(self.exception("TypeError", &format!("'{t}' object is not iterable")))
            }
        }
    }

    fn get_iter(&mut self, v: Value) -> Res<Value> {
        if let Value::Obj(id) = &v
            && let Kind::Generator(_) = self.heap[*id].kind
        {
            return Ok(v);
        }
        self.iterate(&v)?;
        Ok(self.obj(Kind::Iter {
            source: v,
            index: 0,
        }))
    }

    fn for_iter(&mut self, end: usize) -> Res<()> {
        let it = self.top().stack.last().cloned().unwrap_or(Value::None);
        let Value::Obj(id) = it else { return Ok(()) };
        if let Kind::Generator(_) = self.heap[id].kind {
            return self.resume_generator(id, Value::None, Exit::GenFor(id, end));
        }
        let Kind::Iter { source, index } = self.heap[id].kind.clone() else {
            return Ok(());
        };
        let item = match &source {
            Value::Obj(s) => match &self.heap[*s].kind {
                Kind::List(xs) | Kind::Tuple(xs) => xs.get(index).cloned(),
                Kind::Dict(pairs) => pairs.get(index).map(|(k, _)| k.clone()),
                Kind::Range { start, stop, step } => (index < range_len(*start, *stop, *step))
                    .then(|| Value::Int(start + index as i64 * step)),
                _ => None,
            },
            Value::Str(s) => s
                .chars()
                .nth(index)
                .map(|c| Value::Str(c.to_string().into())),
            _ => None,
        };
        match item {
            Some(item) => {
                if let Kind::Iter { index, .. } = &mut self.heap[id].kind {
                    *index += 1;
                }
                self.push(item);
            }
            None => {
                self.pop();
                self.top().pc = end;
            }
        }
        Ok(())
    }

    fn get_item(&mut self, obj: &Value, key: &Value) -> Res<Value> {
        if let Value::Obj(id) = obj {
            match &self.heap[*id].kind {
                Kind::List(xs) | Kind::Tuple(xs) => {
                    let Some(i) = Self::int(key) else {
                        return Err(self.exception("TypeError", "list indices must be integers"));
                    };
                    let len = xs.len() as i64;
                    let at = if i < 0 { i + len } else { i };
                    return match xs.get(at.max(0) as usize).filter(|_| at >= 0) {
                        Some(v) => Ok(v.clone()),
                        None => Err(self.exception("IndexError", "list index out of range")),
                    };
                }
                Kind::Dict(pairs) => {
                    return match pairs.iter().find(|(k, _)| self.equals(k, key)) {
                        Some((_, v)) => Ok(v.clone()),
                        None => {
                            let k = show(&self.heap, key, true);
                            Err(self.exception("KeyError", &k))
                        }
                    };
                }
                _ => {}
            }
        }
        if let (Value::Str(s), Some(i)) = (obj, Self::int(key)) {
            let chars: Vec<char> = s.chars().collect();
            let at = if i < 0 { i + chars.len() as i64 } else { i };
            return match chars.get(at.max(0) as usize).filter(|_| at >= 0) {
                Some(c) => Ok(Value::Str(c.to_string().into())),
                None => Err(self.exception("IndexError", "string index out of range")),
            };
        }
        let t = self.type_name(obj);
        Err(self.exception("TypeError", &format!("'{t}' object is not subscriptable")))
    }

    fn set_item(&mut self, obj: &Value, key: Value, value: Value) -> Res<()> {
        if let Value::Obj(id) = obj {
            let id = *id;
            if let Kind::Dict(pairs) = &self.heap[id].kind {
                let at = pairs.iter().position(|(k, _)| self.equals(k, &key));
                if let Kind::Dict(pairs) = &mut self.heap[id].kind {
                    match at {
                        Some(i) => pairs[i].1 = value,
                        None => pairs.push((key, value)),
                    }
                }
                return Ok(());
            }
            if let (Kind::List(xs), Some(i)) = (&mut self.heap[id].kind, Self::int(&key)) {
                let len = xs.len() as i64;
                let at = if i < 0 { i + len } else { i };
                if at >= 0 && at < len {
                    xs[at as usize] = value;
                    return Ok(());
                }
                return Err(self.exception("IndexError", "list assignment index out of range"));
            }
        }
        let t = self.type_name(obj);
        Err(self.exception(
            "TypeError",
            &format!("'{t}' object does not support item assignment"),
        ))
    }

    fn get_attr(&mut self, obj: &Value, name: &str) -> Res<Value> {
        let methods: &[&str] = match obj {
            Value::Str(_) => &[
                "join",
                "upper",
                "lower",
                "strip",
                "split",
                "startswith",
                "endswith",
            ],
            Value::Obj(id) => match &self.heap[*id].kind {
                Kind::Module("asyncio") => {
                    if let Some((_, v)) = self.envs[self.library]
                        .vars
                        .iter()
                        .find(|(n, _)| &**n == name)
                        && !name.starts_with('_')
                    {
                        return Ok(v.clone());
                    }
                    let native = match name {
                        "get_running_loop" | "get_event_loop" => Some(Builtin::GetRunningLoop),
                        "new_event_loop" => Some(Builtin::NewEventLoop),
                        "all_tasks" => Some(Builtin::AllTasks),
                        "current_task" => Some(Builtin::CurrentTask),
                        "Future" => Some(Builtin::FutureNew),
                        _ => None,
                    };
                    if let Some(b) = native {
                        return Ok(self.obj(Kind::Builtin(b)));
                    }
                    if let Some(class) = ["CancelledError", "TimeoutError", "InvalidStateError"]
                        .iter()
                        .find(|c| **c == name)
                    {
                        return Ok(self.obj(Kind::Class(class_name(class).unwrap_or("Exception"))));
                    }
                    return Err(self.exception(
                        "AttributeError",
                        &format!("module 'asyncio' has no attribute '{name}' in the subset"),
                    ));
                }
                Kind::Module("time") => {
                    let b = match name {
                        "monotonic" | "time" | "perf_counter" => Builtin::Clock,
                        "sleep" => Builtin::BlockingSleep,
                        _ => {
                            return Err(self.exception(
                                "AttributeError",
                                &format!("module 'time' has no attribute '{name}' in the subset"),
                            ));
                        }
                    };
                    return Ok(self.obj(Kind::Builtin(b)));
                }
                Kind::List(_) => &["append", "pop", "index"],
                Kind::Dict(_) => &["get", "items", "keys", "values"],
                Kind::Future(f) => {
                    if f.task.is_some() {
                        &[
                            "result",
                            "exception",
                            "done",
                            "cancelled",
                            "cancel",
                            "add_done_callback",
                            "remove_done_callback",
                            "get_name",
                        ]
                    } else {
                        &[
                            "result",
                            "exception",
                            "done",
                            "cancelled",
                            "cancel",
                            "add_done_callback",
                            "remove_done_callback",
                            "set_result",
                            "set_exception",
                        ]
                    }
                }
                Kind::Loop => &[
                    "create_future",
                    "create_task",
                    "call_soon",
                    "call_later",
                    "time",
                    "run_until_complete",
                    "run_forever",
                    "stop",
                ],
                Kind::Handle { .. } => &["cancel"],
                Kind::Generator(_) => &["send", "close"],
                Kind::Exception { args, .. } if name == "args" => {
                    let args = args.clone();
                    return Ok(self.obj(Kind::Tuple(args)));
                }
                Kind::Function { code, .. } if name == "__name__" => {
                    return Ok(Value::Str(code.name.clone()));
                }
                _ => &[],
            },
            _ => &[],
        };
        match methods.iter().find(|m| **m == name) {
            Some(m) => Ok(self.obj(Kind::Bound(obj.clone(), m))),
            None => {
                let t = self.type_name(obj);
                Err(self.exception(
                    "AttributeError",
                    &format!("'{t}' object has no attribute '{name}'"),
                ))
            }
        }
    }

    // ---- calls ----

    fn fn_name(&self, f: &Value) -> String {
        match f {
            Value::Obj(id) => match &self.heap[*id].kind {
                Kind::Function { code, .. } => code.name.to_string(),
                Kind::Bound(_, m) => (*m).to_string(),
                Kind::Builtin(Builtin::TaskStep(t)) => format!("{}.__step", self.task_name(*t)),
                Kind::Builtin(Builtin::TaskWakeup(t)) => format!("{}.__wakeup", self.task_name(*t)),
                Kind::Builtin(Builtin::StopLoop) => "_run_until_complete_cb".into(),
                Kind::Builtin(b) => format!("{b:?}").to_lowercase(),
                _ => "?".into(),
            },
            _ => "?".into(),
        }
    }

    fn task_name(&self, t: ObjId) -> String {
        match &self.heap[t].kind {
            Kind::Future(Fut {
                task: Some(task), ..
            }) => task.name.clone(),
            _ => "?".into(),
        }
    }

    fn call(
        &mut self,
        f: Value,
        args: Vec<Value>,
        kwargs: Vec<(Rc<str>, Value)>,
        exit: Exit,
    ) -> Res<()> {
        let Value::Obj(id) = f else {
            let t = self.type_name(&f);
            return Err(self.exception("TypeError", &format!("'{t}' object is not callable")));
        };
        match self.heap[id].kind.clone() {
            Kind::Function {
                code,
                env,
                defaults,
            } => {
                let scope = self.bind(&code, env, &defaults, args, kwargs)?;
                if code.is_async || code.is_generator {
                    let frame = Frame {
                        code: code.clone(),
                        pc: 0,
                        stack: Vec::new(),
                        env: scope,
                        handlers: Vec::new(),
                        handling: Vec::new(),
                        exit: Exit::Value,
                        owner: None,
                        awaiting: None,
                    };
                    let r = Resumable {
                        frame: Some(frame),
                        started: false,
                        done: false,
                        name: code.name.clone(),
                    };
                    let obj = self.obj(if code.is_async {
                        Kind::Coroutine(r)
                    } else {
                        Kind::Generator(r)
                    });
                    if let Value::Obj(o) = obj
                        && let Kind::Coroutine(r) | Kind::Generator(r) = &mut self.heap[o].kind
                        && let Some(frame) = &mut r.frame
                    {
                        frame.owner = Some(o);
                    }
                    self.deliver(exit, obj);
                    return Ok(());
                }
                let name = code.name.clone();
                let library = code.library;
                self.push_frame(code, scope, exit, None);
                if !library {
                    self.emit(
                        PyEventKind::Call,
                        t!("event_loop.py.call", name = name).to_string(),
                    );
                }
                Ok(())
            }
            Kind::Builtin(b) => {
                if let Some(v) = self.builtin(b, args, kwargs)? {
                    self.deliver(exit, v);
                }
                Ok(())
            }
            Kind::Bound(this, method) => {
                if !kwargs.is_empty() {
                    return Err(self.exception(
                        "TypeError",
                        &format!("{method}() takes no keyword arguments in the subset"),
                    ));
                }
                if let Some(v) = self.method(&this, method, args)? {
                    self.deliver(exit, v);
                }
                Ok(())
            }
            Kind::Class(class) => {
                let v = self.obj(Kind::Exception { class, args });
                self.deliver(exit, v);
                Ok(())
            }
            _ => {
                let t = self.type_name(&Value::Obj(id));
                Err(self.exception("TypeError", &format!("'{t}' object is not callable")))
            }
        }
    }

    /// Arguments into a new scope: positional, then keywords, then defaults, then `*args`.
    fn bind(
        &mut self,
        code: &Code,
        env: usize,
        defaults: &[Value],
        mut args: Vec<Value>,
        kwargs: Vec<(Rc<str>, Value)>,
    ) -> Res<usize> {
        let n = code.positional;
        let extra = if args.len() > n {
            if code.star.is_none() {
                return Err(self.exception(
                    "TypeError",
                    &format!(
                        "{}() takes {n} positional arguments but {} were given",
                        code.name,
                        args.len()
                    ),
                ));
            }
            args.split_off(n)
        } else {
            Vec::new()
        };
        let mut values: Vec<Option<Value>> = args.into_iter().map(Some).collect();
        values.resize(code.params.len(), None);
        for (k, v) in kwargs {
            match code.params.iter().position(|p| *p == k) {
                Some(i) if values[i].is_none() => values[i] = Some(v),
                Some(_) => {
                    return Err(self.exception(
                        "TypeError",
                        &format!("{}() got multiple values for argument '{k}'", code.name),
                    ));
                }
                None => {
                    return Err(self.exception(
                        "TypeError",
                        &format!("{}() got an unexpected keyword argument '{k}'", code.name),
                    ));
                }
            }
        }
        let first_default = code.params.len() - defaults.len();
        let scope = self.new_env(Some(env));
        for (i, p) in code.params.iter().enumerate() {
            let v = match values[i].take() {
                Some(v) => v,
                None if i >= first_default => defaults[i - first_default].clone(),
                None => {
                    return Err(self.exception(
                        "TypeError",
                        &format!(
                            "{}() missing 1 required positional argument: '{p}'",
                            code.name
                        ),
                    ));
                }
            };
            self.envs[scope].vars.push((p.clone(), v));
        }
        if let Some(star) = &code.star {
            let t = self.obj(Kind::Tuple(extra));
            self.envs[scope].vars.push((star.clone(), t));
        }
        Ok(scope)
    }

    /// A result where `exit` says it goes.
    fn deliver(&mut self, exit: Exit, v: Value) {
        match exit {
            Exit::Value => self.push(v),
            Exit::Module | Exit::Handle => {}
            Exit::TaskBase(task) => {
                self.current_task = None;
                let must_cancel = self
                    .task_mut(task)
                    .is_some_and(|t| std::mem::take(&mut t.must_cancel));
                if must_cancel {
                    self.future_cancel(task);
                } else {
                    self.set_state(task, FutState::Result(v));
                }
            }
            Exit::GenSend(generator) | Exit::GenFor(generator, _) => {
                // The generator returned: the caller sees StopIteration (or its loop ends).
                self.resumable_mut(generator).done = true;
                if let Exit::GenFor(_, end) = exit {
                    self.pop();
                    self.top().pc = end;
                } else {
                    let e = self.obj(Kind::Exception {
                        class: "StopIteration",
                        args: if v == Value::None {
                            Vec::new()
                        } else {
                            vec![v]
                        },
                    });
                    self.raise(e);
                }
            }
        }
    }

    fn finish_frame(&mut self, v: Value) {
        let frame = self.stack.pop().expect("a running frame");
        if let Some(owner) = frame.owner
            && let Kind::Coroutine(r) = &mut self.heap[owner].kind
        {
            r.done = true;
        }
        if !frame.code.library && !matches!(frame.exit, Exit::Module) {
            let shown = show(&self.heap, &v, true);
            self.emit(
                PyEventKind::Return,
                t!(
                    "event_loop.py.returns",
                    name = frame.code.name,
                    shown = shown
                )
                .to_string(),
            );
        }
        self.deliver(frame.exit, v);
    }

    /// Unwinds to the nearest handler through frames; a task's coroutine settles its task.
    fn raise(&mut self, e: Value) {
        loop {
            let Some(frame) = self.stack.last_mut() else {
                self.uncaught_at_top(&e);
                return;
            };
            if let Some((pc, depth)) = frame.handlers.pop() {
                frame.stack.truncate(depth);
                frame.stack.push(e);
                frame.pc = pc;
                return;
            }
            let frame = self.stack.pop().expect("checked above");
            if let Some(owner) = frame.owner
                && let Kind::Coroutine(r) | Kind::Generator(r) = &mut self.heap[owner].kind
            {
                r.done = true;
            }
            match frame.exit {
                Exit::Value | Exit::GenSend(_) | Exit::GenFor(..) => continue,
                Exit::Module => {
                    self.uncaught_at_top(&e);
                    return;
                }
                Exit::Handle => {
                    let line = format!("Exception in callback: {}", self.exception_line(&e));
                    self.logged.push(line.clone());
                    self.emit(PyEventKind::Error, line);
                    return;
                }
                Exit::TaskBase(task) => {
                    self.current_task = None;
                    if self.class_of(&e) == "CancelledError" {
                        self.future_cancel(task);
                    } else {
                        self.set_state(task, FutState::Exception(e));
                    }
                    return;
                }
            }
        }
    }

    /// An exception no one caught: the program ends, as CPython's would with a traceback.
    fn uncaught_at_top(&mut self, e: &Value) {
        let line = self.exception_line(e);
        self.emit(PyEventKind::Error, format!("Traceback … {line}"));
        self.uncaught = Some(line);
        self.stack.clear();
        self.parked.clear();
        self.running = false;
        self.modules.clear();
    }

    // ---- generators and coroutines ----

    fn resumable_mut(&mut self, id: ObjId) -> &mut Resumable {
        match &mut self.heap[id].kind {
            Kind::Generator(r) | Kind::Coroutine(r) => r,
            _ => unreachable!("a generator or coroutine"),
        }
    }

    fn resume_generator(&mut self, generator: ObjId, sent: Value, exit: Exit) -> Res<()> {
        let r = self.resumable_mut(generator);
        if r.done {
            return match exit {
                Exit::GenFor(_, end) => {
                    self.pop();
                    self.top().pc = end;
                    Ok(())
                }
                _ => Err(self.obj(Kind::Exception {
                    class: "StopIteration",
                    args: Vec::new(),
                })),
            };
        }
        let Some(mut frame) = r.frame.take() else {
            return Err(self.exception("ValueError", "generator already executing"));
        };
        let first = !r.started;
        r.started = true;
        if first && sent != Value::None {
            r.frame = Some(frame);
            return Err(self.exception(
                "TypeError",
                "can't send non-None value to a just-started generator",
            ));
        }
        frame.exit = exit;
        if !first {
            frame.stack.push(sent);
        }
        self.stack.push(frame);
        Ok(())
    }

    fn yield_value(&mut self, v: Value) {
        let frame = self.stack.pop().expect("a running frame");
        let exit = frame.exit.clone();
        let Some(owner) = frame.owner else {
            self.stack.push(frame);
            let e = self.exception("SyntaxError", "yield outside a generator");
            self.raise(e);
            return;
        };
        let name = frame.code.name.clone();
        self.resumable_mut(owner).frame = Some(frame);
        let shown = show(&self.heap, &v, true);
        self.emit(
            PyEventKind::Return,
            t!("event_loop.py.yields", name = name, shown = shown).to_string(),
        );
        // next(), send() and a for loop all take the value where they stand.
        debug_assert!(matches!(exit, Exit::GenSend(_) | Exit::GenFor(..)));
        self.push(v);
    }

    fn await_value(&mut self, v: Value) -> Res<()> {
        let Value::Obj(id) = v else {
            let t = self.type_name(&v);
            return Err(self.exception(
                "TypeError",
                &format!("object {t} can't be used in 'await' expression"),
            ));
        };
        match self.heap[id].kind.clone() {
            Kind::Coroutine(r) => {
                if r.started {
                    return Err(
                        self.exception("RuntimeError", "cannot reuse already awaited coroutine")
                    );
                }
                let name = r.name.clone();
                let rm = self.resumable_mut(id);
                rm.started = true;
                let mut frame = rm
                    .frame
                    .take()
                    .expect("an unstarted coroutine has its frame");
                frame.exit = Exit::Value;
                let library = frame.code.library;
                self.stack.push(frame);
                if !library {
                    self.emit(
                        PyEventKind::Call,
                        t!("event_loop.py.await_call", name = name).to_string(),
                    );
                }
                Ok(())
            }
            Kind::Future(f) => match f.state {
                FutState::Result(r) => {
                    self.push(r);
                    Ok(())
                }
                FutState::Exception(e) => Err(e),
                FutState::Cancelled => Err(self.exception("CancelledError", "")),
                FutState::Pending => {
                    let Some(task) = self.current_task else {
                        return Err(self.exception(
                            "RuntimeError",
                            "await of a pending future outside a task",
                        ));
                    };
                    if task == id {
                        return Err(self.exception("RuntimeError", "Task cannot await on itself"));
                    }
                    self.top().awaiting = Some(id);
                    self.suspend_task(task, Some(id));
                    Ok(())
                }
            },
            Kind::YieldOnce => {
                let Some(task) = self.current_task else {
                    return Err(self.exception("RuntimeError", "sleep(0) outside a task"));
                };
                self.top().awaiting = None;
                self.suspend_task(task, None);
                Ok(())
            }
            _ => {
                let t = self.type_name(&v);
                Err(self.exception(
                    "TypeError",
                    &format!("object {t} can't be used in 'await' expression"),
                ))
            }
        }
    }

    /// The running task's coroutine yields to the loop (Task.__step's `else` branch).
    fn suspend_task(&mut self, task: ObjId, blocking: Option<ObjId>) {
        let fiber = std::mem::take(&mut self.stack);
        let who = fiber
            .iter()
            .rev()
            .find(|f| !f.code.library)
            .or(fiber.last())
            .map(|f| f.code.name.to_string())
            .unwrap_or_default();
        let name = self.task_name(task);
        self.current_task = None;
        if let Some(t) = self.task_mut(task) {
            t.fiber = fiber;
        }
        match blocking {
            Some(fut) => {
                let wakeup = self.obj(Kind::Builtin(Builtin::TaskWakeup(task)));
                self.add_done_callback(fut, wakeup);
                let must_cancel = self.task_mut(task).map(|t| {
                    t.fut_waiter = Some(fut);
                    t.must_cancel
                });
                if must_cancel == Some(true)
                    && self.cancel(fut)
                    && let Some(t) = self.task_mut(task)
                {
                    t.must_cancel = false;
                }
                let what = self.describe_future(fut);
                self.emit(
                    PyEventKind::Await,
                    t!("event_loop.py.awaits", who = who, what = what, name = name).to_string(),
                );
            }
            None => {
                let step = self.obj(Kind::Builtin(Builtin::TaskStep(task)));
                self.call_soon(step, Vec::new(), None);
                self.emit(
                    PyEventKind::Await,
                    t!("event_loop.py.sleep_zero", who = who, name = name).to_string(),
                );
            }
        }
    }

    fn describe_future(&self, fut: ObjId) -> String {
        match &self.heap[fut].kind {
            Kind::Future(Fut { task: Some(t), .. }) => format!("task {}", t.name),
            Kind::Future(f) => format!("future #{}", f.serial),
            _ => "?".into(),
        }
    }

    // ---- futures and tasks ----

    fn fut_mut(&mut self, id: ObjId) -> Option<&mut Fut> {
        match &mut self.heap[id].kind {
            Kind::Future(f) => Some(f),
            _ => None,
        }
    }

    fn task_mut(&mut self, id: ObjId) -> Option<&mut TaskData> {
        self.fut_mut(id).and_then(|f| f.task.as_mut())
    }

    fn new_future(&mut self, task: Option<TaskData>) -> ObjId {
        self.futures += 1;
        let serial = self.futures;
        self.alloc(Kind::Future(Fut {
            state: FutState::Pending,
            callbacks: Vec::new(),
            serial,
            task,
        }))
    }

    fn is_done(&self, id: ObjId) -> bool {
        matches!(&self.heap[id].kind, Kind::Future(f) if f.state != FutState::Pending)
    }

    /// Settles a pending future and schedules each done callback (one handle each).
    fn set_state(&mut self, id: ObjId, state: FutState) {
        let what = self.describe_future(id);
        let outcome = match &state {
            FutState::Result(v) => {
                t!("event_loop.py.done_with", value = show(&self.heap, v, true)).to_string()
            }
            FutState::Exception(e) => {
                t!("event_loop.py.failed_with", error = self.exception_line(e)).to_string()
            }
            _ => t!("event_loop.py.cancelled").to_string(),
        };
        let Some(f) = self.fut_mut(id) else { return };
        if f.state != FutState::Pending {
            return;
        }
        f.state = state;
        let callbacks = std::mem::take(&mut f.callbacks);
        // A settled task has ended; the tasks it wakes become ready.
        self.touched.push(id);
        for cb in &callbacks {
            if let Value::Obj(o) = cb
                && let Kind::Builtin(Builtin::TaskWakeup(task)) = self.heap[*o].kind
            {
                self.touched.push(task);
            }
        }
        let scheduled = match callbacks.len() {
            0 => String::new(),
            n => t!("event_loop.py.callbacks_ready", n = n).to_string(),
        };
        self.emit(PyEventKind::Settle, format!("{what} {outcome}{scheduled}"));
        for cb in callbacks {
            self.call_soon(cb, vec![Value::Obj(id)], None);
        }
    }

    fn add_done_callback(&mut self, fut: ObjId, cb: Value) {
        if self.is_done(fut) {
            self.call_soon(cb, vec![Value::Obj(fut)], None);
        } else if let Some(f) = self.fut_mut(fut) {
            f.callbacks.push(cb);
        }
    }

    fn future_cancel(&mut self, id: ObjId) -> bool {
        if self.is_done(id) {
            return false;
        }
        self.set_state(id, FutState::Cancelled);
        true
    }

    /// `fut.cancel()`: a task passes it on to what it awaits, or cancels at its next step.
    fn cancel(&mut self, id: ObjId) -> bool {
        if self.is_done(id) {
            return false;
        }
        let Some(task) = self.task_mut(id) else {
            return self.future_cancel(id);
        };
        task.cancel_requested = true;
        if let Some(waiter) = task.fut_waiter
            && self.cancel(waiter)
        {
            return true;
        }
        if let Some(t) = self.task_mut(id) {
            t.must_cancel = true;
        }
        true
    }

    fn create_task(&mut self, coro: Value, name: Option<String>) -> Res<Value> {
        let Value::Obj(c) = coro else {
            return Err(self.exception("TypeError", "a coroutine was expected"));
        };
        if !matches!(self.heap[c].kind, Kind::Coroutine(_)) {
            let t = self.type_name(&coro);
            return Err(self.exception("TypeError", &format!("a coroutine was expected, got {t}")));
        }
        self.task_names += 1;
        let name = name.unwrap_or_else(|| format!("Task-{}", self.task_names));
        let task = self.new_future(Some(TaskData {
            coro: c,
            fiber: Vec::new(),
            started: false,
            must_cancel: false,
            cancel_requested: false,
            fut_waiter: None,
            name: name.clone(),
            phase: TaskPhase::Created,
        }));
        self.tasks.push(task);
        self.touched.push(task);
        let step = self.obj(Kind::Builtin(Builtin::TaskStep(task)));
        self.call_soon(step, Vec::new(), None);
        Ok(Value::Obj(task))
    }

    /// Task.__step: resume the coroutine with a value or an exception.
    fn task_step(&mut self, task: ObjId, exc: Option<Value>) {
        if self.is_done(task) {
            return;
        }
        let Some(t) = self.task_mut(task) else { return };
        if std::mem::take(&mut t.must_cancel) {
            t.fut_waiter = None;
            let e = self.exception("CancelledError", "");
            return self.task_resume(task, Some(e));
        }
        t.fut_waiter = None;
        self.task_resume(task, exc);
    }

    fn task_resume(&mut self, task: ObjId, exc: Option<Value>) {
        let Some(t) = self.task_mut(task) else { return };
        let first = !t.started;
        t.started = true;
        let coro = t.coro;
        let fiber = std::mem::take(&mut t.fiber);
        self.current_task = Some(task);
        if first {
            let r = self.resumable_mut(coro);
            r.started = true;
            let Some(mut frame) = r.frame.take() else {
                return;
            };
            frame.exit = Exit::TaskBase(task);
            self.stack.push(frame);
        } else {
            self.stack = fiber;
        }
        if let Some(e) = exc {
            self.top().awaiting = None;
            self.raise(e);
            return;
        }
        if first {
            return;
        }
        match self.top().awaiting.take() {
            Some(fut) => match &self.heap[fut].kind {
                Kind::Future(f) => match f.state.clone() {
                    FutState::Result(v) => self.push(v),
                    FutState::Exception(e) => self.raise(e),
                    _ => {
                        let e = self.exception("CancelledError", "");
                        self.raise(e);
                    }
                },
                _ => self.push(Value::None),
            },
            None => self.push(Value::None),
        }
    }

    // ---- the loop ----

    fn call_soon(&mut self, callback: Value, args: Vec<Value>, object: Option<ObjId>) {
        self.ready.push_back(Handle {
            callback,
            args,
            object,
        });
    }

    fn describe_handle(&self, h: &Handle) -> String {
        let name = self.fn_name(&h.callback);
        if h.args.is_empty() {
            return name;
        }
        let args: Vec<String> = h
            .args
            .iter()
            .map(|a| match a {
                Value::Obj(id) if matches!(self.heap[*id].kind, Kind::Future(_)) => {
                    self.describe_future(*id)
                }
                other => show(&self.heap, other, true),
            })
            .collect();
        format!("{name}({})", args.join(", "))
    }

    fn handle_cancelled(&self, h: &Handle) -> bool {
        h.object
            .is_some_and(|o| matches!(self.heap[o].kind, Kind::Handle { cancelled: true }))
    }

    /// Between handles: the next one of this iteration, or a new iteration.
    fn loop_turn(&mut self) {
        if self.batch > 0 {
            self.batch -= 1;
            let Some(handle) = self.ready.pop_front() else {
                return;
            };
            if self.handle_cancelled(&handle) {
                return;
            }
            let text = self.describe_handle(&handle);
            self.emit(
                PyEventKind::Handle,
                t!("event_loop.py.loop_runs", handle = text).to_string(),
            );
            match handle.callback {
                Value::Obj(id)
                    if matches!(
                        self.heap[id].kind,
                        Kind::Builtin(Builtin::TaskStep(_) | Builtin::TaskWakeup(_))
                    ) =>
                {
                    match self.heap[id].kind {
                        Kind::Builtin(Builtin::TaskStep(task)) => self.task_step(task, None),
                        Kind::Builtin(Builtin::TaskWakeup(task)) => {
                            let exc = handle.args.first().and_then(|f| match f {
                                Value::Obj(fid) => match &self.heap[*fid].kind {
                                    Kind::Future(fut) => match &fut.state {
                                        FutState::Exception(e) => Some(e.clone()),
                                        FutState::Cancelled => Some(Value::None),
                                        _ => None,
                                    },
                                    _ => None,
                                },
                                _ => None,
                            });
                            let exc = match exc {
                                Some(Value::None) => Some(self.exception("CancelledError", "")),
                                other => other,
                            };
                            self.task_step(task, exc);
                        }
                        _ => {}
                    }
                }
                callback => {
                    if let Err(e) = self.call(callback, handle.args, Vec::new(), Exit::Handle) {
                        let line = format!("Exception in callback: {}", self.exception_line(&e));
                        self.logged.push(line.clone());
                        self.emit(PyEventKind::Error, line);
                    }
                }
            }
            return;
        }
        if self.stopping {
            self.stopping = false;
            self.running = false;
            self.resume_parked();
            return;
        }
        // _run_once: with nothing ready, wait (on the virtual clock) for the soonest timer.
        self.timers.retain(|t| {
            !t.handle
                .object
                .is_some_and(|o| matches!(self.heap[o].kind, Kind::Handle { cancelled: true }))
        });
        if self.ready.is_empty() {
            let Some(soonest) = self.timers.iter().map(|t| t.when).min_by(f64::total_cmp) else {
                self.stop("the loop waits for ever: nothing is ready and no timer is set (a future nobody resolves?)".into());
                return;
            };
            if soonest > self.now {
                self.now = soonest;
                self.emit(
                    PyEventKind::Iteration,
                    t!("event_loop.py.loop_sleeps", until = seconds(self.now)).to_string(),
                );
            }
        }
        let mut due: Vec<Timer> = Vec::new();
        let mut i = 0;
        while i < self.timers.len() {
            if self.timers[i].when <= self.now + 1e-9 {
                due.push(self.timers.remove(i));
            } else {
                i += 1;
            }
        }
        due.sort_by(|a, b| a.when.total_cmp(&b.when).then(a.seq.cmp(&b.seq)));
        for t in due {
            self.ready.push_back(t.handle);
        }
        self.iterations += 1;
        self.batch = self.ready.len();
    }

    fn resume_parked(&mut self) {
        let Some((frames, fut)) = self.parked.pop() else {
            return;
        };
        self.stack = frames;
        match &self.heap[fut].kind {
            Kind::Future(f) => match f.state.clone() {
                FutState::Result(v) => self.push(v),
                FutState::Exception(e) => self.raise(e),
                FutState::Cancelled => {
                    let e = self.exception("CancelledError", "");
                    self.raise(e);
                }
                FutState::Pending => {
                    let e = self.exception(
                        "RuntimeError",
                        "Event loop stopped before Future completed.",
                    );
                    self.raise(e);
                }
            },
            _ => self.push(Value::None),
        }
    }

    fn running_loop(&mut self) -> Res<Value> {
        match (self.loop_obj, self.running) {
            (Some(l), true) => Ok(Value::Obj(l)),
            _ => Err(self.exception("RuntimeError", "no running event loop")),
        }
    }

    // ---- built-ins ----

    fn print(&mut self, text: &str) {
        let mut parts = text.split('\n');
        if let Some(first) = parts.next() {
            self.partial.push_str(first);
        }
        for part in parts {
            let line = std::mem::take(&mut self.partial);
            self.emit(PyEventKind::Print, format!("print: {line}"));
            if self.output.len() < MAX_OUTPUT {
                self.output.push(line);
            } else if self.error.is_none() {
                self.stop(format!("stopped after {MAX_OUTPUT} printed lines"));
            }
            self.partial.push_str(part);
        }
    }

    fn builtin(
        &mut self,
        b: Builtin,
        args: Vec<Value>,
        kwargs: Vec<(Rc<str>, Value)>,
    ) -> Res<Option<Value>> {
        if b != Builtin::Print && !kwargs.is_empty() {
            return Err(self.exception(
                "TypeError",
                "keyword arguments are not accepted here in the subset",
            ));
        }
        let arg = |i: usize| args.get(i).cloned().unwrap_or(Value::None);
        let v = match b {
            Builtin::Print => {
                let (mut sep, mut end) = (" ".to_string(), "\n".to_string());
                for (k, v) in &kwargs {
                    let text = show(&self.heap, v, false);
                    match &**k {
                        "sep" => sep = text,
                        "end" => end = text,
                        "flush" => {}
                        other => {
                            return Err(self.exception(
                                "TypeError",
                                &format!("'{other}' is an invalid keyword argument for print()"),
                            ));
                        }
                    }
                }
                let parts: Vec<String> = args.iter().map(|a| show(&self.heap, a, false)).collect();
                let text = format!("{}{end}", parts.join(&sep));
                self.print(&text);
                Value::None
            }
            Builtin::Len => {
                let n = match &arg(0) {
                    Value::Str(s) => s.chars().count(),
                    other => self.iterate(other)?.len(),
                };
                Value::Int(n as i64)
            }
            Builtin::Range => {
                let ints: Vec<i64> = args.iter().filter_map(Self::int).collect();
                if ints.len() != args.len() || ints.is_empty() || ints.len() > 3 {
                    return Err(self.exception("TypeError", "range takes 1 to 3 integers"));
                }
                let (start, stop, step) = match ints.as_slice() {
                    [stop] => (0, *stop, 1),
                    [start, stop] => (*start, *stop, 1),
                    [start, stop, step] => (*start, *stop, *step),
                    _ => unreachable!("checked above"),
                };
                if step == 0 {
                    return Err(self.exception("ValueError", "range() arg 3 must not be zero"));
                }
                self.obj(Kind::Range { start, stop, step })
            }
            Builtin::Str => Value::Str(
                if args.is_empty() {
                    String::new()
                } else {
                    show(&self.heap, &arg(0), false)
                }
                .into(),
            ),
            Builtin::Repr => Value::Str(show(&self.heap, &arg(0), true).into()),
            Builtin::Int => match arg(0) {
                Value::Int(n) => Value::Int(n),
                Value::Bool(b) => Value::Int(i64::from(b)),
                Value::Float(f) => Value::Int(f.trunc() as i64),
                Value::Str(s) => match s.trim().parse::<i64>() {
                    Ok(n) => Value::Int(n),
                    Err(_) => {
                        return Err(self.exception(
                            "ValueError",
                            &format!(
                                "invalid literal for int() with base 10: {}",
                                super::value::quote(&s)
                            ),
                        ));
                    }
                },
                _ => return Err(self.exception("TypeError", "int() needs a number or a string")),
            },
            Builtin::Float => match Self::number(&arg(0)) {
                Some(f) => Value::Float(f),
                None => match arg(0) {
                    Value::Str(s) => Value::Float(s.trim().parse().map_err(|_| {
                        self.exception("ValueError", "could not convert string to float")
                    })?),
                    _ => {
                        return Err(
                            self.exception("TypeError", "float() needs a number or a string")
                        );
                    }
                },
            },
            Builtin::Round => {
                let digits = Self::int(&arg(1));
                match (arg(0), digits) {
                    (Value::Int(n), _) => Value::Int(n),
                    (Value::Float(f), None) => Value::Int(round_half_even(f) as i64),
                    (Value::Float(f), Some(d)) => {
                        let scale = 10f64.powi(d as i32);
                        Value::Float(round_half_even(f * scale) / scale)
                    }
                    _ => return Err(self.exception("TypeError", "round() needs a number")),
                }
            }
            Builtin::Next => {
                let Value::Obj(id) = arg(0) else {
                    return Err(
                        self.exception("TypeError", "next() needs a generator in the subset")
                    );
                };
                match self.heap[id].kind {
                    Kind::Generator(_) => {
                        self.resume_generator(id, Value::None, Exit::GenSend(id))?;
                        return Ok(None);
                    }
                    Kind::Coroutine(_) => {
                        return Err(
                            self.exception("TypeError", "'coroutine' object is not an iterator")
                        );
                    }
                    _ => {
                        return Err(
                            self.exception("TypeError", "next() needs a generator in the subset")
                        );
                    }
                }
            }
            Builtin::List => {
                let items = if args.is_empty() {
                    Vec::new()
                } else {
                    self.iterate(&arg(0))?
                };
                self.obj(Kind::List(items))
            }
            Builtin::Abs => match arg(0) {
                Value::Int(n) => Value::Int(n.abs()),
                Value::Float(f) => Value::Float(f.abs()),
                _ => return Err(self.exception("TypeError", "bad operand type for abs()")),
            },
            Builtin::Min | Builtin::Max | Builtin::Sum | Builtin::Sorted => {
                let items = if args.len() == 1 {
                    self.iterate(&arg(0))?
                } else {
                    args.clone()
                };
                match b {
                    Builtin::Sum => {
                        let mut total = Value::Int(0);
                        for x in &items {
                            total = self.binary("+", &total, x)?;
                        }
                        total
                    }
                    Builtin::Sorted => {
                        let mut sorted = items;
                        let mut failed = false;
                        sorted.sort_by(|a, b| match (Self::number(a), Self::number(b), a, b) {
                            (Some(x), Some(y), _, _) => x.total_cmp(&y),
                            (_, _, Value::Str(x), Value::Str(y)) => x.cmp(y),
                            _ => {
                                failed = true;
                                std::cmp::Ordering::Equal
                            }
                        });
                        if failed {
                            return Err(self.exception(
                                "TypeError",
                                "sorted() compares numbers or strings in the subset",
                            ));
                        }
                        self.obj(Kind::List(sorted))
                    }
                    _ => {
                        if items.is_empty() {
                            return Err(
                                self.exception("ValueError", "min() / max() of an empty sequence")
                            );
                        }
                        let mut best = items[0].clone();
                        for x in &items[1..] {
                            let better =
                                self.binary(if b == Builtin::Min { "<" } else { ">" }, x, &best)?;
                            if better == Value::Bool(true) {
                                best = x.clone();
                            }
                        }
                        best
                    }
                }
            }
            Builtin::GetRunningLoop => self.running_loop()?,
            Builtin::EventLoop => match self.loop_obj {
                Some(l) => Value::Obj(l),
                None => return Err(self.exception("RuntimeError", "no event loop")),
            },
            Builtin::NewEventLoop => {
                if self.loop_obj.is_some() {
                    return Err(self.exception(
                        "RuntimeError",
                        "asyncio.run() cannot be called from a running event loop",
                    ));
                }
                let l = self.alloc(Kind::Loop);
                self.loop_obj = Some(l);
                self.tasks.clear();
                Value::Obj(l)
            }
            Builtin::CloseEventLoop => {
                self.loop_obj = None;
                self.ready.clear();
                self.timers.clear();
                Value::None
            }
            Builtin::AllTasks => {
                let pending: Vec<Value> = self
                    .tasks
                    .iter()
                    .filter(|t| !self.is_done(**t))
                    .map(|t| Value::Obj(*t))
                    .collect();
                self.obj(Kind::List(pending))
            }
            Builtin::CurrentTask => self.current_task.map_or(Value::None, Value::Obj),
            Builtin::YieldOnce => self.obj(Kind::YieldOnce),
            Builtin::IsFuture => Value::Bool(
                matches!(&arg(0), Value::Obj(id) if matches!(self.heap[*id].kind, Kind::Future(_))),
            ),
            Builtin::FutureNew => {
                self.running_loop()?;
                Value::Obj(self.new_future(None))
            }
            Builtin::TaskStep(task) => {
                self.task_step(task, None);
                return Ok(None);
            }
            Builtin::TaskWakeup(task) => {
                self.task_step(task, None);
                return Ok(None);
            }
            Builtin::Clock => Value::Float(self.now),
            Builtin::BlockingSleep => {
                let Some(s) = Self::number(&arg(0)) else {
                    return Err(self.exception("TypeError", "time.sleep needs seconds"));
                };
                self.now += s.max(0.0);
                self.emit(
                    PyEventKind::Call,
                    t!("event_loop.py.time_sleep", s = s, until = seconds(self.now)).to_string(),
                );
                Value::None
            }
            Builtin::StopLoop => {
                self.stopping = true;
                Value::None
            }
        };
        Ok(Some(v))
    }

    fn method(&mut self, this: &Value, name: &'static str, args: Vec<Value>) -> Res<Option<Value>> {
        let arg = |i: usize| args.get(i).cloned().unwrap_or(Value::None);
        let id = match this {
            Value::Obj(id) => *id,
            Value::Str(s) => return self.str_method(s, name, &args).map(Some),
            _ => return Ok(Some(Value::None)),
        };
        let v = match (self.heap[id].kind.clone(), name) {
            (Kind::List(_), "append") => {
                if let Kind::List(xs) = &mut self.heap[id].kind {
                    xs.push(arg(0));
                }
                Value::None
            }
            (Kind::List(xs), "pop") => {
                if xs.is_empty() {
                    return Err(self.exception("IndexError", "pop from empty list"));
                }
                let at = match Self::int(&arg(0)) {
                    Some(i) if i < 0 => (xs.len() as i64 + i).max(0) as usize,
                    Some(i) => i as usize,
                    None => xs.len() - 1,
                };
                if at >= xs.len() {
                    return Err(self.exception("IndexError", "pop index out of range"));
                }
                match &mut self.heap[id].kind {
                    Kind::List(xs) => xs.remove(at),
                    _ => Value::None,
                }
            }
            (Kind::List(xs), "index") => match xs.iter().position(|x| self.equals(x, &arg(0))) {
                Some(i) => Value::Int(i as i64),
                None => return Err(self.exception("ValueError", "value is not in list")),
            },
            (Kind::Dict(pairs), "get") => pairs
                .iter()
                .find(|(k, _)| self.equals(k, &arg(0)))
                .map_or(arg(1), |(_, v)| v.clone()),
            (Kind::Dict(pairs), "items") => {
                let items: Vec<Value> = pairs
                    .iter()
                    .map(|(k, v)| self.obj(Kind::Tuple(vec![k.clone(), v.clone()])))
                    .collect();
                self.obj(Kind::List(items))
            }
            (Kind::Dict(pairs), "keys") => {
                self.obj(Kind::List(pairs.iter().map(|(k, _)| k.clone()).collect()))
            }
            (Kind::Dict(pairs), "values") => {
                self.obj(Kind::List(pairs.iter().map(|(_, v)| v.clone()).collect()))
            }
            (Kind::Future(f), _) => return self.future_method(id, f, name, &args),
            (Kind::Loop, "create_future") => Value::Obj(self.new_future(None)),
            (Kind::Loop, "create_task") => {
                let name = match arg(1) {
                    Value::None => None,
                    n => Some(show(&self.heap, &n, false)),
                };
                self.create_task(arg(0), name)?
            }
            (Kind::Loop, "call_soon") => {
                let handle = self.alloc(Kind::Handle { cancelled: false });
                let text = self.fn_name(&arg(0));
                self.call_soon(arg(0), args[1.min(args.len())..].to_vec(), Some(handle));
                self.emit(
                    PyEventKind::Schedule,
                    t!("event_loop.py.call_soon", handle = text).to_string(),
                );
                Value::Obj(handle)
            }
            (Kind::Loop, "call_later") => {
                let Some(delay) = Self::number(&arg(0)) else {
                    return Err(self.exception("TypeError", "call_later needs a delay in seconds"));
                };
                let handle = self.alloc(Kind::Handle { cancelled: false });
                self.timer_seq += 1;
                let when = self.now + delay.max(0.0);
                let text = self.fn_name(&arg(1));
                self.timers.push(Timer {
                    when,
                    seq: self.timer_seq,
                    handle: Handle {
                        callback: arg(1),
                        args: args[2.min(args.len())..].to_vec(),
                        object: Some(handle),
                    },
                });
                self.emit(
                    PyEventKind::Schedule,
                    t!(
                        "event_loop.py.call_later",
                        handle = text,
                        at = seconds(when)
                    )
                    .to_string(),
                );
                Value::Obj(handle)
            }
            (Kind::Loop, "time") => Value::Float(self.now),
            (Kind::Loop, "stop") => {
                self.stopping = true;
                Value::None
            }
            (Kind::Loop, "run_until_complete") => {
                if self.running {
                    return Err(
                        self.exception("RuntimeError", "This event loop is already running")
                    );
                }
                let fut = match arg(0) {
                    Value::Obj(f) if matches!(self.heap[f].kind, Kind::Future(_)) => f,
                    coro => match self.create_task(coro, None)? {
                        Value::Obj(t) => t,
                        _ => unreachable!("create_task makes an object"),
                    },
                };
                let cb = self.obj(Kind::Builtin(Builtin::StopLoop));
                self.add_done_callback(fut, cb);
                let frames = std::mem::take(&mut self.stack);
                self.parked.push((frames, fut));
                self.running = true;
                self.batch = 0;
                return Ok(None);
            }
            (Kind::Loop, "run_forever") => {
                if self.running {
                    return Err(
                        self.exception("RuntimeError", "This event loop is already running")
                    );
                }
                // Runs until loop.stop(); then the caller gets None.
                let done = self.new_future(None);
                self.set_state(done, FutState::Result(Value::None));
                let frames = std::mem::take(&mut self.stack);
                self.parked.push((frames, done));
                self.running = true;
                self.batch = 0;
                return Ok(None);
            }
            (Kind::Handle { .. }, "cancel") => {
                self.heap[id].kind = Kind::Handle { cancelled: true };
                Value::None
            }
            (Kind::Generator(_), "close") => {
                // No GeneratorExit is thrown in: the subset's generators have no cleanup to run.
                self.resumable_mut(id).done = true;
                Value::None
            }
            (Kind::Generator(_), "send") => {
                self.resume_generator(id, arg(0), Exit::GenSend(id))?;
                return Ok(None);
            }
            _ => return Err(self.exception("AttributeError", &format!("no method {name} here"))),
        };
        Ok(Some(v))
    }

    fn future_method(
        &mut self,
        id: ObjId,
        f: Fut,
        name: &'static str,
        args: &[Value],
    ) -> Res<Option<Value>> {
        let arg = |i: usize| args.get(i).cloned().unwrap_or(Value::None);
        let v = match name {
            "result" => match f.state {
                FutState::Result(v) => v,
                FutState::Exception(e) => return Err(e),
                FutState::Cancelled => return Err(self.exception("CancelledError", "")),
                FutState::Pending => {
                    return Err(self.exception("InvalidStateError", "Result is not set."));
                }
            },
            "exception" => match f.state {
                FutState::Exception(e) => e,
                FutState::Result(_) => Value::None,
                FutState::Cancelled => return Err(self.exception("CancelledError", "")),
                FutState::Pending => {
                    return Err(self.exception("InvalidStateError", "Exception is not set."));
                }
            },
            "done" => Value::Bool(f.state != FutState::Pending),
            "cancelled" => Value::Bool(f.state == FutState::Cancelled),
            "cancel" => Value::Bool(self.cancel(id)),
            "get_name" => Value::Str(f.task.map(|t| t.name).unwrap_or_default().into()),
            "add_done_callback" => {
                self.add_done_callback(id, arg(0));
                Value::None
            }
            "remove_done_callback" => {
                let target = arg(0);
                let mut removed = 0;
                if let Some(fut) = self.fut_mut(id) {
                    let before = fut.callbacks.len();
                    fut.callbacks.retain(|c| *c != target);
                    removed = before - fut.callbacks.len();
                }
                Value::Int(removed as i64)
            }
            "set_result" | "set_exception" => {
                if f.state != FutState::Pending {
                    return Err(self.exception("InvalidStateError", "invalid state"));
                }
                let state = if name == "set_result" {
                    FutState::Result(arg(0))
                } else {
                    let e = self.as_exception(arg(0));
                    FutState::Exception(e)
                };
                self.set_state(id, state);
                Value::None
            }
            _ => return Err(self.exception("AttributeError", &format!("no method {name} here"))),
        };
        Ok(Some(v))
    }

    fn str_method(&mut self, s: &str, name: &str, args: &[Value]) -> Res<Value> {
        Ok(match name {
            "join" => {
                let items = self.iterate(&args.first().cloned().unwrap_or(Value::None))?;
                let mut parts = Vec::new();
                for i in &items {
                    match i {
                        Value::Str(p) => parts.push(p.to_string()),
                        _ => {
                            return Err(
                                self.exception("TypeError", "sequence item: expected str instance")
                            );
                        }
                    }
                }
                Value::Str(parts.join(s).into())
            }
            "upper" => Value::Str(s.to_uppercase().into()),
            "lower" => Value::Str(s.to_lowercase().into()),
            "strip" => Value::Str(s.trim().into()),
            "split" => {
                let parts: Vec<Value> = match args.first() {
                    Some(Value::Str(sep)) => {
                        s.split(&**sep).map(|p| Value::Str(p.into())).collect()
                    }
                    _ => s.split_whitespace().map(|p| Value::Str(p.into())).collect(),
                };
                self.obj(Kind::List(parts))
            }
            "startswith" | "endswith" => {
                let Some(Value::Str(p)) = args.first() else {
                    return Err(self.exception("TypeError", "expected a string"));
                };
                Value::Bool(if name == "startswith" {
                    s.starts_with(&**p)
                } else {
                    s.ends_with(&**p)
                })
            }
            _ => {
                return Err(self.exception(
                    "AttributeError",
                    &format!("'str' object has no attribute '{name}'"),
                ));
            }
        })
    }

    /// The machine as the page draws it.
    pub fn snapshot(&self) -> PySnapshot {
        let mut timers: Vec<&Timer> = self
            .timers
            .iter()
            .filter(|t| !self.handle_cancelled(&t.handle))
            .collect();
        timers.sort_by(|a, b| a.when.total_cmp(&b.when).then(a.seq.cmp(&b.seq)));
        PySnapshot {
            stack: self
                .stack
                .iter()
                .map(|f| {
                    if f.code.library {
                        format!("{} (asyncio)", f.code.name)
                    } else {
                        f.code.name.to_string()
                    }
                })
                .collect(),
            ready: self.ready.iter().map(|h| self.describe_handle(h)).collect(),
            timers: timers
                .iter()
                .map(|t| (t.when * 1000.0, self.describe_handle(&t.handle)))
                .collect(),
            tasks: self
                .tasks
                .iter()
                .map(|&t| {
                    let Kind::Future(f) = &self.heap[t].kind else {
                        return self.task_name(t);
                    };
                    let state = match (self.task_phase(t), &f.state) {
                        (TaskPhase::Waiting, _) => {
                            let waiter = f.task.as_ref().and_then(|d| d.fut_waiter);
                            let what = waiter.map(|w| self.describe_future(w));
                            format!("waiting for {}", what.unwrap_or_default())
                        }
                        (TaskPhase::Running, _) => "running".into(),
                        (TaskPhase::Done, FutState::Result(v)) => {
                            format!("done: {}", show(&self.heap, v, true))
                        }
                        (TaskPhase::Failed, FutState::Exception(e)) => {
                            format!("failed: {}", self.exception_line(e))
                        }
                        (TaskPhase::Cancelled, _) => "cancelled".into(),
                        _ => "ready".into(),
                    };
                    format!("{}: {state}", self.task_name(t))
                })
                .collect(),
            task_names: self.tasks.iter().map(|&t| self.task_name(t)).collect(),
            phases: self.tasks.iter().map(|&t| self.task_phase(t)).collect(),
            moves: self.moves.clone(),
            output: self.output(),
            now_ms: self.now * 1000.0,
            line: self.line,
            finished: self.finished,
            error: self.error.clone(),
        }
    }
}

fn seconds(t: f64) -> String {
    format!("{} ms", (t * 1000.0 * 1000.0).round() / 1000.0)
}

fn round_half_even(x: f64) -> f64 {
    let r = x.round();
    if (x - x.trunc()).abs() == 0.5 && r % 2.0 != 0.0 {
        r - x.signum()
    } else {
        r
    }
}
