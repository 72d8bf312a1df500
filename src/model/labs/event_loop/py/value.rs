//! The Python model's values and objects, and how `str` and `repr` show them.

use super::compile::Code;
use std::rc::Rc;

pub type ObjId = usize;

#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    None,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(Rc<str>),
    Obj(ObjId),
}

impl Value {
    pub fn str(s: &str) -> Value {
        Value::Str(Rc::from(s))
    }
}

/// A future's (or task's) outcome.
#[derive(Clone, Debug, PartialEq)]
pub enum FutState {
    Pending,
    Result(Value),
    Exception(Value),
    Cancelled,
}

#[derive(Clone, Debug)]
pub struct TaskData {
    pub coro: ObjId,
    /// The coroutine's frames while it is suspended at an `await`.
    pub fiber: Vec<super::vm::Frame>,
    pub started: bool,
    pub must_cancel: bool,
    /// `cancel()` was called while it was pending: CPython 3.11's repr then says
    /// `cancelling` until it ends.
    pub cancel_requested: bool,
    pub fut_waiter: Option<ObjId>,
    pub name: String,
    /// Its phase when the tracker last looked (see `PyMachine::track_phases`).
    pub phase: super::life_cycle::TaskPhase,
}

#[derive(Clone, Debug)]
pub struct Fut {
    pub state: FutState,
    pub callbacks: Vec<Value>,
    pub serial: usize,
    pub task: Option<TaskData>,
}

/// A generator or a coroutine: its frame, waiting to run or suspended.
#[derive(Clone, Debug)]
pub struct Resumable {
    pub frame: Option<super::vm::Frame>,
    pub started: bool,
    pub done: bool,
    pub name: Rc<str>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Builtin {
    Print,
    Len,
    Range,
    Str,
    Repr,
    Int,
    Float,
    Round,
    Next,
    List,
    Abs,
    Min,
    Max,
    Sum,
    Sorted,
    GetRunningLoop,
    EventLoop,
    NewEventLoop,
    CloseEventLoop,
    AllTasks,
    CurrentTask,
    YieldOnce,
    IsFuture,
    FutureNew,
    /// `time.monotonic()` and friends: the model's clock, in seconds.
    Clock,
    /// `time.sleep(s)`: blocks the thread, and with it the loop.
    BlockingSleep,
    TaskStep(ObjId),
    TaskWakeup(ObjId),
    StopLoop,
}

#[derive(Clone, Debug)]
pub enum Kind {
    List(Vec<Value>),
    Tuple(Vec<Value>),
    Dict(Vec<(Value, Value)>),
    Function {
        code: Rc<Code>,
        env: usize,
        defaults: Vec<Value>,
    },
    Builtin(Builtin),
    /// A method bound to its object: `fut.set_result`.
    Bound(Value, &'static str),
    Generator(Resumable),
    Coroutine(Resumable),
    Future(Fut),
    Handle {
        cancelled: bool,
    },
    Exception {
        class: &'static str,
        args: Vec<Value>,
    },
    Class(&'static str),
    Module(&'static str),
    Loop,
    /// `await asyncio.sleep(0)`'s bare yield.
    YieldOnce,
    Iter {
        source: Value,
        index: usize,
    },
    Range {
        start: i64,
        stop: i64,
        step: i64,
    },
}

/// The exception classes of the subset and each one's parent.
pub const EXCEPTIONS: [(&str, &str); 17] = [
    ("BaseException", ""),
    ("Exception", "BaseException"),
    ("CancelledError", "BaseException"),
    ("ArithmeticError", "Exception"),
    ("ZeroDivisionError", "ArithmeticError"),
    ("ValueError", "Exception"),
    ("TypeError", "Exception"),
    ("RuntimeError", "Exception"),
    ("RecursionError", "RuntimeError"),
    ("LookupError", "Exception"),
    ("KeyError", "LookupError"),
    ("IndexError", "LookupError"),
    ("NameError", "Exception"),
    ("AttributeError", "Exception"),
    ("StopIteration", "Exception"),
    ("TimeoutError", "Exception"),
    ("InvalidStateError", "Exception"),
];

/// Whether `class` is `ancestor` or derives from it.
pub fn derives(class: &str, ancestor: &str) -> bool {
    let mut c = class;
    loop {
        if c == ancestor {
            return true;
        }
        match EXCEPTIONS.iter().find(|(name, _)| *name == c) {
            Some((_, parent)) if !parent.is_empty() => c = parent,
            _ => return false,
        }
    }
}

pub fn class_name(name: &str) -> Option<&'static str> {
    EXCEPTIONS.iter().find(|(n, _)| *n == name).map(|(n, _)| *n)
}

/// Python's float repr: the shortest text that reads back, always with a point or exponent.
pub fn float_repr(f: f64) -> String {
    if f.is_nan() {
        return "nan".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { "inf" } else { "-inf" }.into();
    }
    let abs = f.abs();
    if abs != 0.0 && !(1e-4..1e16).contains(&abs) {
        let text = format!("{f:e}");
        let (mantissa, exp) = text.split_once('e').unwrap_or((&text, "0"));
        let exp: i32 = exp.parse().unwrap_or(0);
        return format!(
            "{mantissa}e{}{:02}",
            if exp < 0 { '-' } else { '+' },
            exp.abs()
        );
    }
    let text = format!("{f}");
    if text.contains('.') {
        text
    } else {
        format!("{text}.0")
    }
}

pub fn quote(s: &str) -> String {
    if s.contains('\'') && !s.contains('"') {
        format!("\"{s}\"")
    } else {
        format!(
            "'{}'",
            s.replace('\\', "\\\\")
                .replace('\'', "\\'")
                .replace('\n', "\\n")
        )
    }
}

/// `str(v)` (`repr` when `repr`), for values the heap holds.
pub fn show(heap: &[Obj], v: &Value, repr: bool) -> String {
    match v {
        Value::None => "None".into(),
        Value::Bool(b) => if *b { "True" } else { "False" }.into(),
        Value::Int(n) => n.to_string(),
        Value::Float(f) => float_repr(*f),
        Value::Str(s) if repr => quote(s),
        Value::Str(s) => s.to_string(),
        Value::Obj(id) => {
            let items = |xs: &[Value]| xs.iter().map(|x| show(heap, x, true)).collect::<Vec<_>>();
            match &heap[*id].kind {
                Kind::List(xs) => format!("[{}]", items(xs).join(", ")),
                Kind::Tuple(xs) if xs.len() == 1 => format!("({},)", items(xs)[0]),
                Kind::Tuple(xs) => format!("({})", items(xs).join(", ")),
                Kind::Dict(pairs) => {
                    let parts: Vec<String> = pairs
                        .iter()
                        .map(|(k, v)| format!("{}: {}", show(heap, k, true), show(heap, v, true)))
                        .collect();
                    format!("{{{}}}", parts.join(", "))
                }
                Kind::Exception { class, args } => {
                    if repr {
                        format!("{class}({})", items(args).join(", "))
                    } else {
                        match args.as_slice() {
                            [] => String::new(),
                            // KeyError shows its key as repr: KeyError: 'missing'.
                            [one] => show(heap, one, *class == "KeyError"),
                            many => format!("({})", items(many).join(", ")),
                        }
                    }
                }
                Kind::Function { code, .. } => format!("<function {}>", code.name),
                Kind::Builtin(_) | Kind::Bound(..) => "<built-in function>".into(),
                Kind::Generator(r) => format!("<generator object {}>", r.name),
                Kind::Coroutine(r) => format!("<coroutine object {}>", r.name),
                Kind::Future(f) => {
                    let state = match &f.state {
                        FutState::Pending
                            if f.task.as_ref().is_some_and(|t| t.cancel_requested) =>
                        {
                            "cancelling"
                        }
                        FutState::Pending => "pending",
                        FutState::Result(_) | FutState::Exception(_) => "finished",
                        FutState::Cancelled => "cancelled",
                    };
                    match &f.task {
                        Some(t) => format!("<Task {state} name='{}'>", t.name),
                        None => format!("<Future {state}>"),
                    }
                }
                Kind::Handle { .. } => "<Handle>".into(),
                Kind::Class(name) => format!("<class '{name}'>"),
                Kind::Module(name) => format!("<module '{name}'>"),
                Kind::Loop => {
                    "<_UnixSelectorEventLoop running=True closed=False debug=False>".into()
                }
                Kind::YieldOnce => "<sleep0>".into(),
                Kind::Iter { .. } => "<iterator>".into(),
                Kind::Range { start, stop, step } => {
                    if *step == 1 {
                        format!("range({start}, {stop})")
                    } else {
                        format!("range({start}, {stop}, {step})")
                    }
                }
            }
        }
    }
}

#[derive(Clone, Debug)]
pub struct Obj {
    pub kind: Kind,
}

pub fn truthy(heap: &[Obj], v: &Value) -> bool {
    match v {
        Value::None => false,
        Value::Bool(b) => *b,
        Value::Int(n) => *n != 0,
        Value::Float(f) => *f != 0.0,
        Value::Str(s) => !s.is_empty(),
        Value::Obj(id) => match &heap[*id].kind {
            Kind::List(xs) | Kind::Tuple(xs) => !xs.is_empty(),
            Kind::Dict(p) => !p.is_empty(),
            Kind::Range { start, stop, step } => range_len(*start, *stop, *step) > 0,
            _ => true,
        },
    }
}

pub fn range_len(start: i64, stop: i64, step: i64) -> usize {
    if step > 0 && stop > start {
        ((stop - start + step - 1) / step) as usize
    } else if step < 0 && stop < start {
        ((start - stop - step - 1) / -step) as usize
    } else {
        0
    }
}

/// `format(value, spec)` for the specs the subset accepts: `[[fill]align][width][,][.prec][type]`.
pub fn format_spec(heap: &[Obj], v: &Value, spec: &str) -> Result<String, String> {
    if spec.is_empty() {
        return Ok(show(heap, v, false));
    }
    let chars: Vec<char> = spec.chars().collect();
    let mut i = 0;
    let (mut fill, mut align) = (' ', None);
    if chars.len() >= 2 && matches!(chars[1], '<' | '>' | '^') {
        fill = chars[0];
        align = Some(chars[1]);
        i = 2;
    } else if matches!(chars.first(), Some('<' | '>' | '^')) {
        align = Some(chars[0]);
        i = 1;
    }
    let mut width = 0usize;
    while i < chars.len() && chars[i].is_ascii_digit() {
        width = width * 10 + chars[i].to_digit(10).unwrap_or(0) as usize;
        i += 1;
    }
    let mut grouping = false;
    if chars.get(i) == Some(&',') {
        grouping = true;
        i += 1;
    }
    let mut precision = None;
    if chars.get(i) == Some(&'.') {
        i += 1;
        let mut p = 0usize;
        while i < chars.len() && chars[i].is_ascii_digit() {
            p = p * 10 + chars[i].to_digit(10).unwrap_or(0) as usize;
            i += 1;
        }
        precision = Some(p);
    }
    let kind = chars.get(i).copied();
    if i + usize::from(kind.is_some()) != chars.len() {
        return Err(format!("the format spec '{spec}' is not in the subset"));
    }
    let number = match v {
        Value::Int(n) => Some(*n as f64),
        Value::Float(f) => Some(*f),
        Value::Bool(b) => Some(f64::from(u8::from(*b))),
        _ => None,
    };
    let mut text = match (kind, number, precision) {
        (Some('f'), Some(n), p) => format!("{n:.*}", p.unwrap_or(6)),
        (Some('%'), Some(n), p) => format!("{:.*}%", p.unwrap_or(6), n * 100.0),
        (Some('d'), Some(n), _) if matches!(v, Value::Int(_)) => format!("{}", n as i64),
        (None, Some(n), Some(p)) => format!("{n:.p$}"),
        (None | Some('s'), _, _) => show(heap, v, false),
        _ => {
            return Err(format!(
                "the format spec '{spec}' does not fit {}",
                show(heap, v, true)
            ));
        }
    };
    if grouping {
        let (int_part, rest) = match text.find('.') {
            Some(dot) => (text[..dot].to_string(), text[dot..].to_string()),
            None => (text.clone(), String::new()),
        };
        let (sign, digits) = int_part
            .strip_prefix('-')
            .map_or(("", int_part.as_str()), |d| ("-", d));
        let mut grouped = String::new();
        for (k, c) in digits.chars().enumerate() {
            if k > 0 && (digits.len() - k) % 3 == 0 {
                grouped.push(',');
            }
            grouped.push(c);
        }
        text = format!("{sign}{grouped}{rest}");
    }
    let len = text.chars().count();
    if len < width {
        let pad = width - len;
        let align = align.unwrap_or(if number.is_some() { '>' } else { '<' });
        let fill_n = |n: usize| fill.to_string().repeat(n);
        text = match align {
            '<' => format!("{text}{}", fill_n(pad)),
            '^' => format!("{}{text}{}", fill_n(pad / 2), fill_n(pad - pad / 2)),
            _ => format!("{}{text}", fill_n(pad)),
        };
    }
    Ok(text)
}
