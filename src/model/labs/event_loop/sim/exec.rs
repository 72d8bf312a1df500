//! The op interpreter: what each op of a routine does when its fiber holds control.

use super::*;

impl Sim {
    pub(super) fn exec(&mut self, fid: usize, instr: &Instr) -> Fallible<Draft> {
        let lines = instr.lines;
        let here = self.frame_name(fid);
        let draft = |kind, description: String| Ok(Draft::new(kind, description, lines));
        match &instr.op {
            Op::Print(expr) => {
                let text = self.show(&self.eval(fid, expr)?);
                self.output.push(text.clone());
                self.advance(fid)?;
                Ok(Draft {
                    kind: EventKind::Print,
                    description: format!("{here} prints \"{text}\""),
                    lines,
                    printed: Some(text),
                })
            }
            Op::Let { var, value } => {
                let value = self.eval(fid, value)?;
                let shown = self.show(&value);
                self.assign(fid, var, value)?;
                self.advance(fid)?;
                draft(EventKind::RunOp, format!("{var} = {shown}"))
            }
            Op::Compute { ms } | Op::BlockingSleep { ms } => {
                let ms = self.eval_ms(fid, ms)?;
                let from = self.now;
                self.now = self.now.saturating_add(ms);
                self.advance(fid)?;
                let what = if matches!(instr.op, Op::Compute { .. }) {
                    format!("{here} computes for {ms} ms")
                } else {
                    format!("{here} makes a blocking call for {ms} ms")
                };
                draft(
                    EventKind::Block,
                    format!(
                        "{what}: it keeps the stack, the clock goes {from} → {} ms and nothing else can run",
                        self.now
                    ),
                )
            }
            Op::Call {
                routine,
                args,
                bind,
            } => {
                let (index, args) = self.callee(fid, routine, args)?;
                self.top_frame_mut(fid)?.bind = bind.clone();
                self.push_frame(fid, index, args, "call")
            }
            Op::Await {
                what: Awaitable::Call { routine, args },
                bind,
            } => {
                let (index, args) = self.callee(fid, routine, args)?;
                self.top_frame_mut(fid)?.bind = bind.clone();
                let why = format!(
                    "await {routine}(): the coroutine runs inside {} without a new task",
                    self.fiber_label(fid)
                );
                self.push_frame(fid, index, args, &why)
            }
            Op::Await { what, bind } => {
                self.ensure_can_suspend(fid)?;
                let future = self.future_for(fid, what)?;
                self.wait_on(fid, future, bind.clone(), false, lines)
            }
            Op::Run {
                routine,
                args,
                bind,
            } => {
                self.ensure_can_suspend(fid)?;
                let (index, args) = self.callee(fid, routine, args)?;
                let task = self.spawn(index, args, SpawnStyle::Task, None);
                let future = self.fibers[task]
                    .done_future
                    .ok_or("task without a future")?;
                let mut d = self.wait_on(fid, future, bind.clone(), true, lines)?;
                d.description = format!(
                    "asyncio.run({routine}()): {} is queued and the script blocks until it is done; the loop takes over",
                    self.fiber_label(task)
                );
                Ok(d)
            }
            Op::Spawn {
                routine,
                args,
                bind,
                style,
                name,
            } => {
                let (index, args) = self.callee(fid, routine, args)?;
                let task = self.spawn(index, args, *style, name.as_deref());
                if let Some(var) = bind {
                    self.assign(fid, var, Value::Fiber(task))?;
                }
                self.advance(fid)?;
                let who = self.fiber_label(task);
                let description = match style {
                    SpawnStyle::Task => {
                        format!(
                            "create {who}: its first step is queued on the macrotask queue; it has not run yet"
                        )
                    }
                    SpawnStyle::Gevent => {
                        format!("gevent.spawn: {who} is scheduled on the hub; it has not run yet")
                    }
                    SpawnStyle::Generator => {
                        format!(
                            "{who} is created and handed to the scheduler; its body has not run yet"
                        )
                    }
                };
                draft(EventKind::RunOp, description)
            }
            Op::NewFuture { bind } => {
                let future = self.new_future(bind.clone());
                self.assign(fid, bind, Value::Future(future))?;
                self.advance(fid)?;
                draft(EventKind::RunOp, format!("{bind} = a new pending future"))
            }
            Op::SetResult { future, value } => {
                let future = self.future_ref(&self.eval(fid, future)?)?;
                let value = self.eval(fid, value)?;
                let shown = value.repr();
                let notes = self.resolve_future(future, value)?;
                self.advance(fid)?;
                let label = self.futures[future].label.clone();
                draft(
                    EventKind::RunOp,
                    format!("{label} gets its result {shown}{}", arrow_notes(&notes)),
                )
            }
            Op::AddDoneCallback { future, routine } => {
                let future = self.future_ref(&self.eval(fid, future)?)?;
                let index = self.routine_ref(routine)?;
                let label = self.futures[future].label.clone();
                let description = match self.futures[future].value.clone() {
                    Some(value) => {
                        self.queue_macrotask(
                            Job::Call {
                                routine: index,
                                args: vec![value],
                                derived: None,
                            },
                            format!("done callback {routine}"),
                        );
                        format!("{label} is already done: callback {routine} is queued at once")
                    }
                    None => {
                        self.futures[future]
                            .waiters
                            .push(Waiter::DoneCallback(index));
                        format!("callback {routine} will be queued when {label} is done")
                    }
                };
                self.advance(fid)?;
                draft(EventKind::RunOp, description)
            }
            Op::PromiseResolve { value, bind } => {
                let value = self.eval(fid, value)?;
                let label = match &value {
                    Value::None => "Promise.resolve()".to_string(),
                    other => format!("Promise.resolve({})", other.repr()),
                };
                let future = self.new_future(label);
                self.futures[future].value = Some(value);
                self.assign(fid, bind, Value::Future(future))?;
                self.advance(fid)?;
                draft(
                    EventKind::RunOp,
                    format!("{bind} = a promise that is already resolved"),
                )
            }
            Op::PromiseThen {
                promise,
                routine,
                bind,
            } => {
                let source = self.future_ref(&self.eval(fid, promise)?)?;
                let index = self.routine_ref(routine)?;
                let derived = self.new_future(format!("promise of {routine}"));
                let label = self.futures[source].label.clone();
                let description = match self.futures[source].value.clone() {
                    Some(value) => {
                        self.queue_microtask(index, value, derived);
                        format!(
                            "then({routine}): {label} is already resolved, so the reaction is queued as a microtask"
                        )
                    }
                    None => {
                        self.futures[source].waiters.push(Waiter::Reaction {
                            routine: index,
                            derived,
                        });
                        format!("then({routine}): the reaction waits until {label} settles")
                    }
                };
                if let Some(var) = bind {
                    self.assign(fid, var, Value::Future(derived))?;
                }
                self.advance(fid)?;
                draft(EventKind::RunOp, description)
            }
            Op::QueueMicrotask { routine } => {
                let index = self.routine_ref(routine)?;
                self.microtasks.push_back(Queued {
                    job: Job::Call {
                        routine: index,
                        args: Vec::new(),
                        derived: None,
                    },
                    label: format!("microtask {routine}"),
                });
                self.advance(fid)?;
                draft(
                    EventKind::RunOp,
                    format!("queueMicrotask({routine}): queued as a microtask"),
                )
            }
            Op::SetTimeout { ms, routine } => {
                let ms = self.eval_ms(fid, ms)?;
                let index = self.routine_ref(routine)?;
                let label = format!("{routine} (timer {ms} ms)");
                let due = self.add_timer(
                    ms,
                    label,
                    Job::Call {
                        routine: index,
                        args: Vec::new(),
                        derived: None,
                    },
                    None,
                );
                self.advance(fid)?;
                draft(
                    EventKind::RunOp,
                    format!(
                        "setTimeout({routine}, {ms}): a timer due at {due} ms goes on the heap"
                    ),
                )
            }
            Op::NewGenerator {
                routine,
                args,
                bind,
                name,
            } => {
                let (index, args) = self.callee(fid, routine, args)?;
                let base = name.clone().unwrap_or_else(|| routine.clone());
                let generator = self.add_fiber(base, FiberKind::Generator, None, false);
                self.fibers[generator].entry = Some((index, args));
                self.set_status(generator, Status::NotStarted);
                self.assign(fid, bind, Value::Fiber(generator))?;
                self.advance(fid)?;
                draft(
                    EventKind::RunOp,
                    format!(
                        "{routine}() makes {}; none of its body runs yet",
                        self.fiber_label(generator)
                    ),
                )
            }
            Op::Send {
                generator,
                value,
                bind,
            } => {
                let target = self.fiber_ref(&self.eval(fid, generator)?)?;
                let value = self.eval(fid, value)?;
                self.send(fid, target, value, bind.clone(), lines)
            }
            Op::Yield { value, bind } => {
                let value = self.eval(fid, value)?;
                self.yield_value(fid, value, bind.clone(), lines)
            }
            Op::Close { generator } => {
                let target = self.fiber_ref(&self.eval(fid, generator)?)?;
                let who = self.fiber_label(target);
                if self.fibers[target].kind != FiberKind::Generator
                    || self.fibers[target].loop_driven
                {
                    return Err(format!("close() needs a generator, got {who}"));
                }
                let description = match self.fibers[target].status {
                    Status::Running | Status::Waiting(Wait::Sent(_)) => {
                        return Err(format!("ValueError: {who} is already executing"));
                    }
                    Status::Done | Status::Cancelled => format!("{who} is already finished"),
                    _ => {
                        let generator = &mut self.fibers[target];
                        generator.frames.clear();
                        generator.entry = None;
                        generator.closed = true;
                        self.set_status(target, Status::Done);
                        format!("close(): GeneratorExit ends {who} where it was suspended")
                    }
                };
                self.advance(fid)?;
                draft(EventKind::RunOp, description)
            }
            Op::NewGreenlet {
                routine,
                bind,
                name,
            } => {
                let index = self.routine_ref(routine)?;
                let base = name.clone().unwrap_or_else(|| routine.clone());
                let greenlet = self.add_fiber(base, FiberKind::Greenlet, None, false);
                self.fibers[greenlet].entry = Some((index, Vec::new()));
                self.fibers[greenlet].parent = Some(fid);
                self.set_status(greenlet, Status::NotStarted);
                self.assign(fid, bind, Value::Fiber(greenlet))?;
                self.advance(fid)?;
                draft(
                    EventKind::RunOp,
                    format!(
                        "{bind} = {}, not started; its parent is {}",
                        self.fiber_label(greenlet),
                        self.fiber_label(fid)
                    ),
                )
            }
            Op::GetCurrent { bind } => {
                self.assign(fid, bind, Value::Fiber(fid))?;
                self.advance(fid)?;
                draft(
                    EventKind::RunOp,
                    format!("{bind} = the current greenlet, {}", self.fiber_label(fid)),
                )
            }
            Op::Switch {
                greenlet,
                args,
                bind,
            } => {
                let target = self.fiber_ref(&self.eval(fid, greenlet)?)?;
                let args = args
                    .iter()
                    .map(|a| self.eval(fid, a))
                    .collect::<Fallible<Vec<_>>>()?;
                self.switch(fid, target, args, bind.clone(), lines)
            }
            Op::Jump { to } => {
                self.top_frame_mut(fid)?.pc = *to;
                draft(EventKind::RunOp, "back to the top of the loop".into())
            }
            Op::JumpIf { cond, to } => {
                let taken = self.eval(fid, cond)?.is_truthy();
                let frame = self.top_frame_mut(fid)?;
                if taken {
                    frame.pc = *to;
                } else {
                    frame.pc += 1;
                }
                let verdict = if taken { "true: jump" } else { "false: go on" };
                draft(EventKind::RunOp, format!("the condition is {verdict}"))
            }
            Op::Return(expr) => {
                let value = self.eval(fid, expr)?;
                self.return_from_frame(fid, value, lines)
            }
        }
    }
}
