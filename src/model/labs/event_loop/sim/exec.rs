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
                    description: t!("event_loop.sim.prints", here = here, text = text).to_string(),
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
                    t!("event_loop.sim.computes", here = here, ms = ms).to_string()
                } else {
                    t!("event_loop.sim.blocking_call", here = here, ms = ms).to_string()
                };
                draft(
                    EventKind::Block,
                    t!(
                        "event_loop.sim.blocks_everything",
                        what = what,
                        from = from,
                        to = self.now
                    )
                    .to_string(),
                )
            }
            Op::Call {
                routine,
                args,
                bind,
            } => {
                let (index, args) = self.callee(fid, routine, args)?;
                self.top_frame_mut(fid)?.bind = bind.clone();
                self.push_frame(fid, index, args, &t!("event_loop.sim.call"))
            }
            Op::Await {
                what: Awaitable::Call { routine, args },
                bind,
            } => {
                let (index, args) = self.callee(fid, routine, args)?;
                self.top_frame_mut(fid)?.bind = bind.clone();
                let why = t!(
                    "event_loop.sim.await_call",
                    routine = routine,
                    inside = self.fiber_label(fid)
                )
                .to_string();
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
                d.description = t!(
                    "event_loop.sim.asyncio_run",
                    routine = routine,
                    task = self.fiber_label(task)
                )
                .to_string();
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
                    SpawnStyle::Task => t!("event_loop.sim.create_task", who = who).to_string(),
                    SpawnStyle::Gevent => t!("event_loop.sim.gevent_spawn", who = who).to_string(),
                    SpawnStyle::Generator => {
                        t!("event_loop.sim.generator_created", who = who).to_string()
                    }
                };
                draft(EventKind::RunOp, description)
            }
            Op::NewFuture { bind } => {
                let future = self.new_future(bind.clone());
                self.assign(fid, bind, Value::Future(future))?;
                self.advance(fid)?;
                draft(
                    EventKind::RunOp,
                    t!("event_loop.sim.new_future", bind = bind).to_string(),
                )
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
                        t!(
                            "event_loop.sim.callback_at_once",
                            label = label,
                            routine = routine
                        )
                        .to_string()
                    }
                    None => {
                        self.futures[future]
                            .waiters
                            .push(Waiter::DoneCallback(index));
                        t!(
                            "event_loop.sim.callback_later",
                            routine = routine,
                            label = label
                        )
                        .to_string()
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
                    t!("event_loop.sim.resolved_promise", bind = bind).to_string(),
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
                        t!("event_loop.sim.then_now", routine = routine, label = label).to_string()
                    }
                    None => {
                        self.futures[source].waiters.push(Waiter::Reaction {
                            routine: index,
                            derived,
                        });
                        t!(
                            "event_loop.sim.then_later",
                            routine = routine,
                            label = label
                        )
                        .to_string()
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
                    t!("event_loop.sim.queue_microtask", routine = routine).to_string(),
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
                    t!(
                        "event_loop.sim.set_timeout",
                        routine = routine,
                        ms = ms,
                        due = due
                    )
                    .to_string(),
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
                    t!(
                        "event_loop.sim.makes_generator",
                        routine = routine,
                        generator = self.fiber_label(generator)
                    )
                    .to_string(),
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
                    Status::Done | Status::Cancelled => {
                        t!("event_loop.sim.already_finished", who = who).to_string()
                    }
                    _ => {
                        let generator = &mut self.fibers[target];
                        generator.frames.clear();
                        generator.entry = None;
                        generator.closed = true;
                        self.set_status(target, Status::Done);
                        t!("event_loop.sim.close", who = who).to_string()
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
                    t!(
                        "event_loop.sim.new_greenlet",
                        bind = bind,
                        greenlet = self.fiber_label(greenlet),
                        parent = self.fiber_label(fid)
                    )
                    .to_string(),
                )
            }
            Op::GetCurrent { bind } => {
                self.assign(fid, bind, Value::Fiber(fid))?;
                self.advance(fid)?;
                draft(
                    EventKind::RunOp,
                    t!(
                        "event_loop.sim.current_greenlet",
                        bind = bind,
                        current = self.fiber_label(fid)
                    )
                    .to_string(),
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
                draft(EventKind::RunOp, t!("event_loop.sim.loop_back").to_string())
            }
            Op::JumpIf { cond, to } => {
                let taken = self.eval(fid, cond)?.is_truthy();
                let frame = self.top_frame_mut(fid)?;
                if taken {
                    frame.pc = *to;
                } else {
                    frame.pc += 1;
                }
                let verdict = if taken {
                    t!("event_loop.sim.true_jump")
                } else {
                    t!("event_loop.sim.false_go_on")
                };
                draft(
                    EventKind::RunOp,
                    t!("event_loop.sim.condition", verdict = verdict).to_string(),
                )
            }
            Op::Return(expr) => {
                let value = self.eval(fid, expr)?;
                self.return_from_frame(fid, value, lines)
            }
        }
    }
}
