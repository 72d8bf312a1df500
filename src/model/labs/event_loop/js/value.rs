//! Values, objects and how they print. The printing rules are the site's own (the real-run
//! worker formats with the same rules), close to Node's `console.log`.

use super::compile::Code;
use std::cell::Cell;
use std::rc::Rc;

pub type ObjId = usize;
pub type EnvId = usize;

#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Undefined,
    Null,
    Bool(bool),
    Num(f64),
    Str(Rc<str>),
    Obj(ObjId),
}

impl Value {
    pub fn str(s: &str) -> Value {
        Value::Str(Rc::from(s))
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum PromiseState {
    Pending,
    Fulfilled(Value),
    Rejected(Value),
}

/// What a promise reaction does with the settled value.
#[derive(Clone, Debug)]
pub enum Handler {
    /// Passes the value on (no handler given for this outcome).
    Default,
    /// Calls a function.
    Call(Value),
    /// Resumes a suspended async function (`throw`: with an exception).
    Resume { frame: usize, throw: bool },
}

#[derive(Clone, Debug)]
pub struct Reaction {
    /// The promise `then` returned, settled by the handler's outcome.
    pub derived: Option<ObjId>,
    pub rejected: bool,
    pub handler: Handler,
}

#[derive(Clone, Debug)]
pub struct PromiseData {
    pub state: PromiseState,
    pub fulfill: Vec<Reaction>,
    pub reject: Vec<Reaction>,
    pub handled: bool,
    /// Numbered in creation order, for the page ("promise #3").
    pub serial: usize,
}

/// A function written in Rust: the built-ins, and the small functions they make.
#[derive(Clone, Debug)]
pub enum Native {
    ConsoleLog,
    SetTimeout,
    ClearTimeout,
    QueueMicrotask,
    PromiseCtor,
    PromiseResolve,
    PromiseReject,
    PromiseAll,
    PromiseAllSettled,
    PromiseRace,
    Then,
    Catch,
    Finally,
    ErrorCtor(&'static str),
    ArrayPush,
    ArrayShift,
    ArrayJoin,
    /// A promise's resolve or reject function, sharing its "already resolved" flag.
    Resolve(ObjId, Rc<Cell<bool>>),
    Reject(ObjId, Rc<Cell<bool>>),
    /// `Promise.all` / `allSettled`: the element at `index` has settled.
    AllElement {
        index: usize,
        values: ObjId,
        remaining: Rc<Cell<usize>>,
        result: ObjId,
        settled: bool,
        rejected: bool,
        called: Rc<Cell<bool>>,
    },
    /// `finally`'s wrappers around the callback (spec: thenFinally / catchFinally).
    FinallyWrap {
        callback: Value,
        rejected: bool,
    },
    /// Prints an exception as uncaught (a top-level-await body's rejection).
    ReportUncaught,
    /// `Date.now()` / `performance.now()`: the virtual clock in ms.
    Now,
    /// `Math.round` and friends.
    Math(&'static str),
    /// Returns its value, or throws it.
    Thunk {
        value: Value,
        throw: bool,
    },
}

#[derive(Clone, Debug)]
pub enum Kind {
    Plain,
    Array(Vec<Value>),
    Closure {
        code: Rc<Code>,
        env: EnvId,
        this: Option<Value>,
    },
    Native(Native),
    Promise(PromiseData),
    Error,
}

#[derive(Clone, Debug)]
pub struct Obj {
    pub kind: Kind,
    pub props: Vec<(Rc<str>, Value)>,
}

impl Obj {
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.props.iter().find(|(k, _)| &**k == key).map(|(_, v)| v)
    }

    pub fn set(&mut self, key: &str, value: Value) {
        match self.props.iter_mut().find(|(k, _)| &**k == key) {
            Some(slot) => slot.1 = value,
            None => self.props.push((Rc::from(key), value)),
        }
    }
}

/// JavaScript's Number::toString for the values programs print.
pub fn number_text(n: f64) -> String {
    if n.is_nan() {
        "NaN".into()
    } else if n.is_infinite() {
        if n > 0.0 { "Infinity" } else { "-Infinity" }.into()
    } else if n == 0.0 {
        "0".into()
    } else if n.fract() == 0.0 && n.abs() < 1e21 {
        format!("{n:.0}")
    } else {
        format!("{n}")
    }
}

pub fn truthy(v: &Value) -> bool {
    match v {
        Value::Undefined | Value::Null => false,
        Value::Bool(b) => *b,
        Value::Num(n) => *n != 0.0 && !n.is_nan(),
        Value::Str(s) => !s.is_empty(),
        Value::Obj(_) => true,
    }
}

pub fn to_number(v: &Value) -> f64 {
    match v {
        Value::Undefined => f64::NAN,
        Value::Null => 0.0,
        Value::Bool(b) => f64::from(u8::from(*b)),
        Value::Num(n) => *n,
        Value::Str(s) => {
            let t = s.trim();
            if t.is_empty() {
                0.0
            } else {
                t.parse().unwrap_or(f64::NAN)
            }
        }
        Value::Obj(_) => f64::NAN,
    }
}

/// `String(v)`, as `+` and template literals use it.
pub fn to_text(heap: &[Obj], v: &Value) -> String {
    match v {
        Value::Undefined => "undefined".into(),
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Num(n) => number_text(*n),
        Value::Str(s) => s.to_string(),
        Value::Obj(id) => {
            let obj = &heap[*id];
            match &obj.kind {
                Kind::Array(items) => items
                    .iter()
                    .map(|i| match i {
                        Value::Undefined | Value::Null => String::new(),
                        other => to_text(heap, other),
                    })
                    .collect::<Vec<_>>()
                    .join(","),
                Kind::Error => error_text(heap, obj),
                Kind::Promise(_) => "[object Promise]".into(),
                Kind::Closure { .. } | Kind::Native(_) => "function".into(),
                Kind::Plain => "[object Object]".into(),
            }
        }
    }
}

fn error_text(heap: &[Obj], obj: &Obj) -> String {
    let name = obj.get("name").map_or("Error".into(), |v| to_text(heap, v));
    match obj.get("message").map(|v| to_text(heap, v)) {
        Some(m) if !m.is_empty() => format!("{name}: {m}"),
        _ => name,
    }
}

/// How `console.log` shows one argument: strings bare at the top level, quoted inside.
pub fn display(heap: &[Obj], v: &Value, top: bool) -> String {
    match v {
        Value::Str(s) if top => s.to_string(),
        Value::Str(s) => format!("'{s}'"),
        Value::Obj(id) => {
            let obj = &heap[*id];
            match &obj.kind {
                Kind::Array(items) if items.is_empty() => "[]".into(),
                Kind::Array(items) => {
                    let parts: Vec<String> =
                        items.iter().map(|i| display(heap, i, false)).collect();
                    format!("[ {} ]", parts.join(", "))
                }
                Kind::Plain if obj.props.is_empty() => "{}".into(),
                Kind::Plain => {
                    let parts: Vec<String> = obj
                        .props
                        .iter()
                        .map(|(k, v)| format!("{k}: {}", display(heap, v, false)))
                        .collect();
                    format!("{{ {} }}", parts.join(", "))
                }
                Kind::Closure { code, .. } if &*code.name != "(anonymous)" => {
                    format!("[Function: {}]", code.name)
                }
                Kind::Closure { .. } | Kind::Native(_) => "[Function (anonymous)]".into(),
                Kind::Error => error_text(heap, obj),
                Kind::Promise(_) => "[object Promise]".into(),
            }
        }
        other => to_text(heap, other),
    }
}
