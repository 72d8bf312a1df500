//! Values and expressions: variables, evaluation with bounded sizes, and printing.

use super::*;

impl Sim {
    pub(super) fn callee(
        &self,
        fid: usize,
        routine: &str,
        args: &[Expr],
    ) -> Fallible<(usize, Vec<Value>)> {
        let index = self.routine_ref(routine)?;
        let args = args
            .iter()
            .map(|a| self.eval(fid, a))
            .collect::<Fallible<Vec<_>>>()?;
        Ok((index, args))
    }

    pub(super) fn routine_ref(&self, name: &str) -> Fallible<usize> {
        self.program
            .routine_index(name)
            .ok_or_else(|| format!("NameError: no routine '{name}'"))
    }

    pub(super) fn future_ref(&self, value: &Value) -> Fallible<usize> {
        match value {
            Value::Future(id) if *id < self.futures.len() => Ok(*id),
            other => Err(format!("TypeError: {} is not a future", other.repr())),
        }
    }

    pub(super) fn fiber_ref(&self, value: &Value) -> Fallible<usize> {
        match value {
            Value::Fiber(id) if *id < self.fibers.len() => Ok(*id),
            other => Err(format!(
                "TypeError: {} is not a task, generator or greenlet",
                other.repr()
            )),
        }
    }

    pub(super) fn lookup(&self, fid: usize, name: &str) -> Fallible<Value> {
        let locals = self.fibers[fid].frames.last().map(|f| &f.locals);
        locals
            .into_iter()
            .flatten()
            .chain(self.globals.iter())
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
            .ok_or_else(|| format!("NameError: name '{name}' is not defined"))
    }

    pub(super) fn assign(&mut self, fid: usize, name: &str, value: Value) -> Fallible<()> {
        let frame = self.fibers[fid]
            .frames
            .last_mut()
            .ok_or("no frame on the stack")?;
        let scope = if frame.module {
            &mut self.globals
        } else {
            &mut frame.locals
        };
        match scope.iter_mut().find(|(n, _)| n == name) {
            Some(slot) => slot.1 = value,
            None => scope.push((name.to_string(), value)),
        }
        Ok(())
    }

    pub(super) fn eval(&self, fid: usize, expr: &Expr) -> Fallible<Value> {
        let int = |e: &Expr| -> Fallible<i64> {
            match self.eval(fid, e)? {
                Value::Int(n) => Ok(n),
                other => Err(format!(
                    "TypeError: expected a number, got {}",
                    other.repr()
                )),
            }
        };
        let overflow = || "OverflowError: the number is too large".to_string();
        Ok(match expr {
            Expr::Lit(value) => value.clone(),
            Expr::Var(name) => self.lookup(fid, name)?,
            Expr::Add(a, b) => match (self.eval(fid, a)?, self.eval(fid, b)?) {
                (Value::Int(x), Value::Int(y)) => {
                    Value::Int(x.checked_add(y).ok_or_else(overflow)?)
                }
                (Value::Str(x), Value::Str(y)) => Value::Str(bounded(x + &y)?),
                (x, y) => {
                    return Err(format!(
                        "TypeError: cannot add {} and {}",
                        x.repr(),
                        y.repr()
                    ));
                }
            },
            Expr::Sub(a, b) => Value::Int(int(a)?.checked_sub(int(b)?).ok_or_else(overflow)?),
            Expr::Mul(a, b) => Value::Int(int(a)?.checked_mul(int(b)?).ok_or_else(overflow)?),
            Expr::Less(a, b) => Value::Int(i64::from(int(a)? < int(b)?)),
            Expr::Not(a) => Value::Int(i64::from(!self.eval(fid, a)?.is_truthy())),
            Expr::IsNone(a) => Value::Int(i64::from(self.eval(fid, a)? == Value::None)),
            Expr::Concat(parts) => {
                let mut text = String::new();
                for part in parts {
                    text.push_str(&self.show(&self.eval(fid, part)?));
                    if text.len() > MAX_TEXT {
                        break;
                    }
                }
                Value::Str(bounded(text)?)
            }
            Expr::Now => Value::Int(i64::try_from(self.now).unwrap_or(i64::MAX)),
        })
    }

    pub(super) fn eval_ms(&self, fid: usize, expr: &Expr) -> Fallible<u64> {
        match self.eval(fid, expr)? {
            Value::Int(n) => {
                u64::try_from(n).map_err(|_| format!("ValueError: {n} ms is negative"))
            }
            other => Err(format!("TypeError: {} is not a duration", other.repr())),
        }
    }

    /// A value as printed, with handles shown by name.
    pub(super) fn show(&self, value: &Value) -> String {
        match value {
            Value::Fiber(id) if *id < self.fibers.len() => format!("<{}>", self.fiber_label(*id)),
            Value::Future(id) if *id < self.futures.len() => {
                format!("<future {}>", self.futures[*id].label)
            }
            Value::List(items) => {
                let parts: Vec<String> = items.iter().map(|v| self.show_repr(v)).collect();
                format!("[{}]", parts.join(", "))
            }
            other => other.to_string(),
        }
    }

    pub(super) fn show_repr(&self, value: &Value) -> String {
        match value {
            Value::Str(_) => value.repr(),
            other => self.show(other),
        }
    }
}

/// Refuses strings past `MAX_TEXT`, so doubling a string in a loop ends as an error.
fn bounded(text: String) -> Fallible<String> {
    if text.len() > MAX_TEXT {
        Err(format!("MemoryError: a string grew past {MAX_TEXT} bytes"))
    } else {
        Ok(text)
    }
}

/// What `switch(args...)` returns on the other side: nothing, the one value, or a list.
pub(super) fn args_value(mut args: Vec<Value>) -> Fallible<Value> {
    match args.len() {
        0 => Ok(Value::None),
        1 => Ok(args.remove(0)),
        _ => bounded_list(args),
    }
}

/// Builds a list, refusing one so big or so deeply nested that a program feeding lists
/// back into gathers in a loop could exhaust memory or the stack.
pub(super) fn bounded_list(items: Vec<Value>) -> Fallible<Value> {
    let list = Value::List(items);
    let mut pending = vec![(&list, 1)];
    let mut count = 0;
    while let Some((value, depth)) = pending.pop() {
        count += 1;
        if count > MAX_LIST_ITEMS || depth > MAX_LIST_DEPTH {
            return Err("MemoryError: a list grew too large or too deeply nested".into());
        }
        if let Value::List(items) = value {
            pending.extend(items.iter().map(|item| (item, depth + 1)));
        }
    }
    Ok(list)
}
