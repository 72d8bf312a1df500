//! Runs compiled bytecode one instruction at a time, so a caller can decide between any two
//! instructions whether to drop the GIL. Globals are reached through [`Globals`]: plain
//! memory in native tests, shared atomics on real threads.

use super::bytecode::{Op, Program};
use super::parser::BinOp;

/// Deepest call stack a thread may build.
pub const MAX_FRAMES: usize = 64;
/// Longest operand stack a thread may build.
pub const MAX_STACK: usize = 1_024;
/// Most KiB one `c_hash`/`c_sum` call may hash (a few tens of ms): nothing can interrupt a
/// call once it started, so the runtime checks for a cancel after each.
pub const MAX_C_CALL_KIB: u32 = 16_384;

/// The "C" behind `c_hash` and `c_sum`: FNV-1a over `kib` KiB of a fixed pattern, seeded so
/// that no two calls can be folded into one by the optimiser. Real work on the calling
/// thread; which of the two names was called only decides what happens to the GIL meanwhile.
pub fn c_hash(kib: u32, seed: u64) -> u64 {
    let mut hash = 0xcbf2_9ce4_8422_2325 ^ seed;
    for block in 0..kib {
        for i in 0..1024u32 {
            hash ^= u64::from(i.wrapping_mul(31).wrapping_add(block) as u8);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    hash
}

/// Where a thread's globals live.
pub trait Globals {
    fn load(&self, index: usize) -> i64;
    fn store(&self, index: usize, value: i64);
}

/// Globals in one thread's own memory (a process's copy, or a native test's).
impl Globals for std::cell::RefCell<Vec<i64>> {
    fn load(&self, index: usize) -> i64 {
        self.borrow()[index]
    }
    fn store(&self, index: usize, value: i64) {
        self.borrow_mut()[index] = value;
    }
}

struct Frame {
    function: usize,
    pc: usize,
    /// Where this frame's locals start in [`Thread::locals`].
    base: usize,
}

/// What one instruction did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    Ran,
    /// Blocking IO of this many milliseconds: the caller waits, with the GIL released.
    Sleep(i64),
    /// A call into C that hashes `kib` KiB (see [`c_hash`]): the caller runs it, around a
    /// release of the GIL when `releases_gil`, holding it throughout otherwise.
    CCall {
        kib: u32,
        releases_gil: bool,
    },
    /// The entry function returned this value.
    Finished(i64),
}

/// One thread of the interpreter.
pub struct Thread {
    frames: Vec<Frame>,
    /// Every frame's locals, one after another: a call allocates nothing once the vector
    /// has grown (threads would otherwise meet in the allocator's lock on every call).
    locals: Vec<i64>,
    stack: Vec<i64>,
    /// Instructions executed so far.
    pub executed: u64,
}

impl Thread {
    /// A thread about to call `function(args…)`.
    pub fn new(program: &Program, function: usize, args: &[i64]) -> Result<Thread, String> {
        let f = program.functions.get(function).ok_or("no such function")?;
        if f.params != args.len() {
            return Err(format!(
                "{}() takes {} arguments, {} given",
                f.name,
                f.params,
                args.len()
            ));
        }
        // Room for a few frames up front: a thread's hot locals then never share a cache
        // line with another thread's (two small neighbours in the heap would, and every
        // store would bounce the line between cores).
        let mut locals = Vec::with_capacity(f.locals.len().max(64));
        locals.resize(f.locals.len(), 0);
        locals[..args.len()].copy_from_slice(args);
        Ok(Thread {
            frames: {
                // Padded like `locals`: the running frame's `pc` changes on every instruction.
                let mut frames = Vec::with_capacity(32);
                frames.push(Frame {
                    function,
                    pc: 0,
                    base: 0,
                });
                frames
            },
            locals,
            stack: Vec::with_capacity(64),
            executed: 0,
        })
    }

    /// The instruction that runs next (none once finished).
    pub fn next_op(&self, program: &Program) -> Option<Op> {
        let frame = self.frames.last()?;
        program.functions[frame.function]
            .code
            .get(frame.pc)
            .copied()
    }

    /// Executes one instruction. `globals` is a trait object on purpose: one compiled copy of
    /// the interpreter serves every kind of globals, so the browser's warm-up of it counts for
    /// all of them (a generic copy per kind would be optimised at different times).
    pub fn step(&mut self, program: &Program, globals: &dyn Globals) -> Result<Step, String> {
        let Some(frame) = self.frames.last_mut() else {
            return Err("the thread has finished".into());
        };
        let function = &program.functions[frame.function];
        let op = function.code[frame.pc];
        frame.pc += 1;
        self.executed += 1;
        if self.stack.len() >= MAX_STACK {
            return Err("the operand stack overflowed".into());
        }
        match op {
            Op::Resume => {}
            Op::LoadConst(v) => self.stack.push(v),
            Op::LoadGlobal(g) => self.stack.push(globals.load(g as usize)),
            Op::StoreGlobal(g) => {
                let v = self.pop()?;
                globals.store(g as usize, v);
            }
            Op::LoadFast(l) => {
                let v = self.locals[frame.base + l as usize];
                self.stack.push(v);
            }
            Op::StoreFast(l) => {
                let v = self.stack.pop().ok_or("stack underflow")?;
                self.locals[frame.base + l as usize] = v;
            }
            Op::Binary(b) => {
                let right = self.pop()?;
                let left = self.pop()?;
                self.stack.push(binary(b, left, right)?);
            }
            Op::Neg => {
                let v = self.pop()?;
                self.stack.push(v.wrapping_neg());
            }
            Op::JumpForward(t) | Op::JumpBackward(t) => frame.pc = t as usize,
            Op::PopJumpIfFalse(t) => {
                let v = self.stack.pop().ok_or("stack underflow")?;
                if v == 0 {
                    frame.pc = t as usize;
                }
            }
            Op::Call { func, argc } => {
                if self.frames.len() >= MAX_FRAMES {
                    return Err(format!(
                        "more than {MAX_FRAMES} nested calls (endless recursion?)"
                    ));
                }
                let callee = &program.functions[func as usize];
                let args = self
                    .stack
                    .len()
                    .checked_sub(argc as usize)
                    .ok_or("stack underflow")?;
                let base = self.locals.len();
                self.locals.extend_from_slice(&self.stack[args..]);
                self.locals.resize(base + callee.locals.len(), 0);
                self.stack.truncate(args);
                self.frames.push(Frame {
                    function: func as usize,
                    pc: 0,
                    base,
                });
            }
            Op::Sleep => {
                let ms = self.pop()?;
                return Ok(Step::Sleep(ms));
            }
            Op::CCall { releases_gil } => {
                let kib = self.pop()?;
                let name = if releases_gil { "c_hash" } else { "c_sum" };
                let kib = u32::try_from(kib)
                    .ok()
                    .filter(|k| *k <= MAX_C_CALL_KIB)
                    .ok_or_else(|| {
                        format!("{name}(kib): kib must be 0 … {MAX_C_CALL_KIB}, not {kib}")
                    })?;
                return Ok(Step::CCall { kib, releases_gil });
            }
            Op::PopTop => {
                self.pop()?;
            }
            Op::ReturnValue => {
                let v = self.pop()?;
                if let Some(done) = self.frames.pop() {
                    self.locals.truncate(done.base);
                }
                if self.frames.is_empty() {
                    return Ok(Step::Finished(v));
                }
                self.stack.push(v);
            }
        }
        Ok(Step::Ran)
    }

    fn pop(&mut self) -> Result<i64, String> {
        self.stack
            .pop()
            .ok_or_else(|| "stack underflow".to_string())
    }
}

fn binary(op: BinOp, a: i64, b: i64) -> Result<i64, String> {
    Ok(match op {
        BinOp::Add => a.wrapping_add(b),
        BinOp::Sub => a.wrapping_sub(b),
        BinOp::Mul => a.wrapping_mul(b),
        BinOp::FloorDiv | BinOp::Mod if b == 0 => return Err("division by zero".into()),
        BinOp::FloorDiv => a.wrapping_div_euclid(b) - i64::from(b < 0 && a.rem_euclid(b) != 0),
        BinOp::Mod => {
            let r = a.wrapping_rem(b);
            if r != 0 && (r < 0) != (b < 0) {
                r + b
            } else {
                r
            }
        }
        BinOp::Lt => i64::from(a < b),
        BinOp::Le => i64::from(a <= b),
        BinOp::Gt => i64::from(a > b),
        BinOp::Ge => i64::from(a >= b),
        BinOp::Eq => i64::from(a == b),
        BinOp::Ne => i64::from(a != b),
    })
}
