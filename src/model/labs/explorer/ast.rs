//! Syntax tree of an explorer program, as the parser builds it and the printer writes it back.
//!
//! **Invariant:** the tree holds meaning only. Positions live in [`Span`]s that compare equal to
//! every other span, so two programs that differ only in layout or comments are equal. That is
//! what lets `parse(print(parse(x))) == parse(x)` hold.

use serde::Serialize;

/// Where a construct sits in the source: 1-based lines and columns, columns counted in characters.
///
/// Every `Span` equals every other one: positions are not part of a program's meaning.
#[derive(Clone, Copy, Debug, Default, Serialize)]
pub struct Span {
    /// Line of the first character.
    pub line: u32,
    /// Column of the first character.
    pub column: u32,
    /// Line of the last character.
    pub end_line: u32,
    /// Column just past the last character.
    pub end_column: u32,
}

impl PartialEq for Span {
    fn eq(&self, _other: &Self) -> bool {
        true
    }
}

impl Eq for Span {}

/// A whole program: declarations, threads and the checks run once every thread has finished.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Program {
    /// Shared variables and synchronisation objects, in source order.
    pub declarations: Vec<Declaration>,
    /// Threads, in source order; a thread's index is its position here.
    pub threads: Vec<Thread>,
    /// Top-level `assert`s, checked on the final state (like asserting after `join`).
    pub checks: Vec<Check>,
}

/// One top-level declaration such as `shared balance = 0` or `lock m`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Declaration {
    /// The declared name.
    pub name: String,
    /// What is declared.
    pub kind: DeclarationKind,
    /// The whole declaration.
    pub span: Span,
}

/// The kinds of things a program can declare.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DeclarationKind {
    /// `shared x = 3`: an integer every thread can read and write.
    Shared {
        /// Value before any thread runs.
        initial: i64,
    },
    /// `lock m`: a plain lock; acquiring it twice in one thread blocks forever.
    Lock,
    /// `rlock r`: a re-entrant lock with an owner and a count.
    RLock,
    /// `semaphore s = 2`: a counting semaphore.
    Semaphore {
        /// Permits available at the start.
        permits: i64,
    },
    /// `event e`: a flag threads can set, clear and wait for; starts cleared.
    Event,
    /// `condition c(m)`: a condition variable bound to lock `m`.
    Condition {
        /// Name of the lock or rlock the condition uses.
        lock: String,
    },
}

/// `thread name { ... }`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Thread {
    /// The thread's name, used in labels.
    pub name: String,
    /// Statements run in order.
    pub body: Vec<Stmt>,
    /// The `thread name` header.
    pub span: Span,
}

/// A top-level `assert cond, "message"`, checked after all threads finish.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Check {
    /// Must be true (non-zero) in every final state.
    pub condition: Expr,
    /// Optional text shown when the check fails.
    pub message: Option<String>,
    /// The whole check.
    pub span: Span,
}

/// One statement with its position.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stmt {
    /// What the statement does.
    pub kind: StmtKind,
    /// The statement, or for compound statements their header up to `{`.
    pub span: Span,
}

/// Statements of the thread language.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StmtKind {
    /// `x = expr`, to a shared variable or a thread-local one.
    Assign {
        /// Variable written.
        target: String,
        /// Value computed.
        value: Expr,
    },
    /// `m.acquire()`, `e.set()`, `c.notify_all()` and the like.
    Call {
        /// Synchronisation object named before the dot.
        object: String,
        /// Method named after the dot.
        method: Method,
    },
    /// `if cond { ... } else { ... }`; an empty `else_body` means no `else`.
    If {
        /// Branch taken when non-zero.
        condition: Expr,
        /// Runs when the condition holds.
        then_body: Vec<Stmt>,
        /// Runs otherwise.
        else_body: Vec<Stmt>,
    },
    /// `while cond { ... }`.
    While {
        /// Checked before every iteration.
        condition: Expr,
        /// Loop body.
        body: Vec<Stmt>,
    },
    /// `repeat n { ... }`: runs the body exactly `count` times.
    Repeat {
        /// Number of iterations.
        count: u32,
        /// Loop body.
        body: Vec<Stmt>,
    },
    /// `with m { ... }`: acquire, run the body, release.
    With {
        /// Lock, rlock, semaphore, or condition (whose lock is used).
        object: String,
        /// Runs while holding the object.
        body: Vec<Stmt>,
    },
    /// `assert cond, "message"` inside a thread: failing stops the whole run.
    Assert {
        /// Must be non-zero.
        condition: Expr,
        /// Optional text shown on failure.
        message: Option<String>,
    },
    /// `r = cas(x, expected, new)`, `r = fetch_add(x, n)`, `r = swap(x, v)`, or the same
    /// without `r =`: one atomic step that reads and writes shared `x` (a read-modify-write).
    Atomic {
        /// Thread-local variable that gets the result (cas: 1 or 0; the others: the old value).
        target: Option<String>,
        /// Which read-modify-write.
        op: AtomicOp,
        /// The shared variable.
        var: String,
        /// cas: expected, new; fetch_add: the amount; swap: the new value.
        args: Vec<Expr>,
    },
    /// `yield`: a step that changes nothing; any thread may run next.
    Yield,
    /// `pass`: does nothing (an empty step).
    Pass,
    /// `fence`: a full memory fence (x86 `mfence`). Under sequential consistency it does
    /// nothing; under TSO the thread waits until its store buffer has drained to memory.
    Fence,
}

/// The atomic read-modify-writes, as CPUs provide them (`lock cmpxchg`, `lock xadd`, `xchg`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AtomicOp {
    /// Compare-and-swap: writes `new` only if the value is `expected`; says whether it did.
    Cas,
    /// Adds and returns the old value.
    FetchAdd,
    /// Writes and returns the old value.
    Swap,
}

impl AtomicOp {
    pub const ALL: [AtomicOp; 3] = [AtomicOp::Cas, AtomicOp::FetchAdd, AtomicOp::Swap];

    /// The name as written.
    pub fn name(self) -> &'static str {
        match self {
            AtomicOp::Cas => "cas",
            AtomicOp::FetchAdd => "fetch_add",
            AtomicOp::Swap => "swap",
        }
    }

    /// Arguments after the shared variable.
    pub fn arity(self) -> usize {
        match self {
            AtomicOp::Cas => 2,
            AtomicOp::FetchAdd | AtomicOp::Swap => 1,
        }
    }
}

/// Methods that can be called on synchronisation objects.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    /// Lock, rlock or semaphore.
    Acquire,
    /// Lock, rlock or semaphore.
    Release,
    /// Event (until set) or condition (until notified).
    Wait,
    /// Event.
    Set,
    /// Event.
    Clear,
    /// Condition: wake one waiter.
    Notify,
    /// Condition: wake every waiter.
    NotifyAll,
}

impl Method {
    /// Every method, for parsing and tests.
    pub const ALL: [Method; 7] = [
        Method::Acquire,
        Method::Release,
        Method::Wait,
        Method::Set,
        Method::Clear,
        Method::Notify,
        Method::NotifyAll,
    ];

    /// The name written after the dot.
    pub fn name(self) -> &'static str {
        match self {
            Method::Acquire => "acquire",
            Method::Release => "release",
            Method::Wait => "wait",
            Method::Set => "set",
            Method::Clear => "clear",
            Method::Notify => "notify",
            Method::NotifyAll => "notify_all",
        }
    }
}

/// Integer expressions; booleans are 1 and 0, and any non-zero value counts as true.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Expr {
    /// A non-negative literal (negative numbers are `Unary { Neg, .. }`).
    Int(i64),
    /// `true` or `false`.
    Bool(bool),
    /// A shared or local variable.
    Name {
        /// The variable.
        name: String,
        /// Where it is written, for error messages.
        span: Span,
    },
    /// `-x`, `not x`, `!x`.
    Unary {
        /// The operator.
        op: UnaryOp,
        /// Its operand.
        operand: Box<Expr>,
    },
    /// `a + b`, `a < b`, `a and b`, ...
    Binary {
        /// The operator.
        op: BinaryOp,
        /// Left operand.
        left: Box<Expr>,
        /// Right operand.
        right: Box<Expr>,
    },
}

impl Expr {
    /// A variable reference with no position, for building programs in code.
    pub fn name(name: &str) -> Expr {
        Expr::Name {
            name: name.to_string(),
            span: Span::default(),
        }
    }
}

/// Prefix operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnaryOp {
    /// Arithmetic negation (wraps on overflow).
    Neg,
    /// Logical not: 1 if the operand is 0, else 0.
    Not,
}

/// Infix operators, from loosest to tightest: `or`, `and`, comparisons, `+ -`, `* / %`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinaryOp {
    /// `or` / `||`, short-circuit.
    Or,
    /// `and` / `&&`, short-circuit.
    And,
    /// `==`.
    Eq,
    /// `!=`.
    Ne,
    /// `<`.
    Lt,
    /// `<=`.
    Le,
    /// `>`.
    Gt,
    /// `>=`.
    Ge,
    /// `+`, wrapping.
    Add,
    /// `-`, wrapping.
    Sub,
    /// `*`, wrapping.
    Mul,
    /// `/`, rounding down like Python's `//`; dividing by zero is an error outcome.
    Div,
    /// `%`, with the sign of the divisor like Python; by zero is an error outcome.
    Mod,
}

impl BinaryOp {
    /// Every operator, for tests and generators.
    pub const ALL: [BinaryOp; 13] = [
        BinaryOp::Or,
        BinaryOp::And,
        BinaryOp::Eq,
        BinaryOp::Ne,
        BinaryOp::Lt,
        BinaryOp::Le,
        BinaryOp::Gt,
        BinaryOp::Ge,
        BinaryOp::Add,
        BinaryOp::Sub,
        BinaryOp::Mul,
        BinaryOp::Div,
        BinaryOp::Mod,
    ];

    /// Binding strength; higher binds tighter. `not` sits at 3, unary minus at 7.
    pub fn precedence(self) -> u8 {
        match self {
            BinaryOp::Or => 1,
            BinaryOp::And => 2,
            BinaryOp::Eq
            | BinaryOp::Ne
            | BinaryOp::Lt
            | BinaryOp::Le
            | BinaryOp::Gt
            | BinaryOp::Ge => 4,
            BinaryOp::Add | BinaryOp::Sub => 5,
            BinaryOp::Mul | BinaryOp::Div | BinaryOp::Mod => 6,
        }
    }

    /// True for `== != < <= > >=`, which do not chain.
    pub fn is_comparison(self) -> bool {
        self.precedence() == 4
    }

    /// How the printer writes the operator.
    pub fn symbol(self) -> &'static str {
        match self {
            BinaryOp::Or => "or",
            BinaryOp::And => "and",
            BinaryOp::Eq => "==",
            BinaryOp::Ne => "!=",
            BinaryOp::Lt => "<",
            BinaryOp::Le => "<=",
            BinaryOp::Gt => ">",
            BinaryOp::Ge => ">=",
            BinaryOp::Add => "+",
            BinaryOp::Sub => "-",
            BinaryOp::Mul => "*",
            BinaryOp::Div => "/",
            BinaryOp::Mod => "%",
        }
    }
}

/// Precedence of `not` (looser than comparisons, as in Python).
pub const NOT_PRECEDENCE: u8 = 3;
/// Precedence of unary minus (tighter than every binary operator).
pub const NEG_PRECEDENCE: u8 = 7;
