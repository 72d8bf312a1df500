//! Moving control: pushing and popping frames, finishing fibers, the direct hand-overs
//! of generators and greenlets, parking on futures, and resolving them.

use super::values::{args_value, bounded_list};
use super::*;

impl Sim {
    pub(super) fn push_frame(
        &mut self,
        fid: usize,
        routine: usize,
        args: Vec<Value>,
        why: &str,
    ) -> Fallible<Draft> {
        if self.fibers[fid].frames.len() >= MAX_DEPTH {
            return Err(format!(
                "RecursionError: {} would hold more than {MAX_DEPTH} frames",
                self.fibers[fid].name
            ));
        }
        let def = &self.program.routines[routine];
        // Callbacks ignore extra arguments, as JavaScript does; calls made by the
        // program must match.
        let lenient =
            self.fibers[fid].kind == FiberKind::Callback && self.fibers[fid].frames.is_empty();
        if args.len() > def.params.len() && !lenient {
            return Err(format!(
                "TypeError: {}() takes {} arguments but got {}",
                def.name,
                def.params.len(),
                args.len()
            ));
        }
        let shown: Vec<String> = args.iter().map(|a| self.show_repr(a)).collect();
        let mut values = args.into_iter();
        let locals = def
            .params
            .iter()
            .map(|p| (p.clone(), values.next().unwrap_or(Value::None)))
            .collect();
        let module =
            self.fibers[fid].kind == FiberKind::Script && self.fibers[fid].frames.is_empty();
        let description = t!(
            "event_loop.sim.push_frame",
            why = why,
            routine = def.name,
            args = shown.join(", ")
        )
        .to_string();
        let lines = def.lines;
        self.fibers[fid].frames.push(Frame {
            routine,
            pc: 0,
            locals,
            module,
            bind: None,
            after_run: false,
            waiting_for: None,
        });
        Ok(Draft::new(EventKind::PushFrame, description, lines))
    }

    pub(super) fn return_from_frame(
        &mut self,
        fid: usize,
        value: Value,
        lines: Lines,
    ) -> Fallible<Draft> {
        let frame = self.fibers[fid]
            .frames
            .pop()
            .ok_or("return with no frame on the stack")?;
        let name = self.program.routines[frame.routine].name.clone();
        let shown = self.show_repr(&value);
        if !self.fibers[fid].frames.is_empty() {
            let caller = self.frame_name(fid);
            let frame = self.top_frame_mut(fid)?;
            let bind = frame.bind.take();
            frame.pc += 1;
            if let Some(var) = bind {
                self.assign(fid, &var, value)?;
            }
            return Ok(Draft::new(
                EventKind::PopFrame,
                t!(
                    "event_loop.sim.returns_to_caller",
                    name = name,
                    shown = shown,
                    caller = caller
                )
                .to_string(),
                lines,
            ));
        }
        self.finish_fiber(fid, value, &name, &shown, lines)
    }

    /// The last frame of a fiber has returned: where does control go now?
    pub(super) fn finish_fiber(
        &mut self,
        fid: usize,
        value: Value,
        name: &str,
        shown: &str,
        lines: Lines,
    ) -> Fallible<Draft> {
        let who = self.fiber_label(fid);
        self.set_status(fid, Status::Done);
        let fiber = &self.fibers[fid];
        let (kind, loop_driven, derived, resumer, parent) = (
            fiber.kind,
            fiber.loop_driven,
            fiber.derived,
            fiber.resumer,
            fiber.parent,
        );
        if kind == FiberKind::Script {
            self.current = None;
            return Ok(Draft::new(
                EventKind::PopFrame,
                t!("event_loop.sim.script_done").to_string(),
                lines,
            ));
        }
        if kind == FiberKind::Callback {
            self.current = None;
            let mut notes = Vec::new();
            if let Some(derived) = derived {
                match value {
                    Value::Future(inner) if inner < self.futures.len() => {
                        match self.futures[inner].value.clone() {
                            Some(v) => notes = self.resolve_future(derived, v)?,
                            None => self.futures[inner].waiters.push(Waiter::Forward(derived)),
                        }
                    }
                    other => notes = self.resolve_future(derived, other)?,
                }
            }
            return Ok(Draft::new(
                EventKind::PopFrame,
                t!(
                    "event_loop.sim.callback_returns",
                    name = name,
                    shown = shown,
                    notes = arrow_notes(&notes)
                )
                .to_string(),
                lines,
            ));
        }
        if loop_driven {
            self.current = None;
            let future = self.fibers[fid]
                .done_future
                .ok_or("task without a future")?;
            let notes = self.resolve_future(future, value)?;
            return Ok(Draft::new(
                EventKind::TaskDone,
                t!(
                    "event_loop.sim.task_returns",
                    name = name,
                    shown = shown,
                    who = who,
                    notes = arrow_notes(&notes)
                )
                .to_string(),
                lines,
            ));
        }
        if kind == FiberKind::Generator {
            let to = resumer.ok_or_else(|| format!("{who} finished with nobody to return to"))?;
            self.fibers[fid].resumer = None;
            self.hand_over(fid, to, value, shown);
            return Ok(Draft::new(
                EventKind::TaskDone,
                t!(
                    "event_loop.sim.generator_exhausted",
                    name = name,
                    who = who,
                    shown = shown,
                    to = self.fiber_label(to)
                )
                .to_string(),
                lines,
            ));
        }
        // A greenlet: control goes to the nearest parent still alive.
        let mut candidate = parent;
        let mut hops = 0;
        while let Some(p) = candidate {
            hops += 1;
            if hops > self.fibers.len() {
                break;
            }
            match self.fibers[p].status {
                Status::Done | Status::Cancelled => candidate = self.fibers[p].parent,
                Status::Waiting(Wait::Switched) => {
                    self.hand_over(fid, p, value, shown);
                    return Ok(Draft::new(
                        EventKind::TaskDone,
                        t!(
                            "event_loop.sim.greenlet_dead",
                            name = name,
                            shown = shown,
                            who = who,
                            parent = self.fiber_label(p)
                        )
                        .to_string(),
                        lines,
                    ));
                }
                _ => break,
            }
        }
        Err(format!(
            "{who} finished but no parent greenlet is waiting to take control back"
        ))
    }

    /// Moves control from `from` straight to `to`, which resumes with `value`.
    pub(super) fn hand_over(&mut self, from: usize, to: usize, value: Value, shown: &str) {
        self.transfer = Some(Transfer {
            from: self.who_runs(from),
            to: self.who_runs(to),
            value: shown.to_string(),
        });
        self.fibers[to].resume = Some(value);
        self.set_status(to, Status::Running);
        self.current = Some(to);
    }

    pub(super) fn send(
        &mut self,
        fid: usize,
        target: usize,
        value: Value,
        bind: Option<String>,
        lines: Lines,
    ) -> Fallible<Draft> {
        let who = self.fiber_label(target);
        let generator = &self.fibers[target];
        if generator.kind != FiberKind::Generator || generator.loop_driven {
            return Err(format!("send() needs a generator, got {who}"));
        }
        match generator.status {
            Status::NotStarted if value != Value::None => {
                return Err(format!(
                    "TypeError: can't send a non-None value to just-started {who}"
                ));
            }
            Status::NotStarted | Status::Waiting(Wait::Yield) => {}
            Status::Done | Status::Cancelled => {
                return Err(format!("StopIteration: {who} is already exhausted"));
            }
            _ => return Err(format!("ValueError: {who} is already executing")),
        }
        let shown = self.show_repr(&value);
        let started = generator.status != Status::NotStarted;
        self.top_frame_mut(fid)?.bind = bind;
        self.set_status(fid, Status::Waiting(Wait::Sent(target)));
        self.fibers[target].resumer = Some(fid);
        let from = self.place(fid);
        let description = if started {
            self.hand_over(fid, target, value, &shown);
            t!("event_loop.sim.send", shown = shown, from = from, who = who).to_string()
        } else {
            self.transfer = Some(Transfer {
                from: self.who_runs(fid),
                to: self.who_runs(target),
                value: shown,
            });
            self.set_status(target, Status::Running);
            self.current = Some(target);
            t!("event_loop.sim.next", from = from, who = who).to_string()
        };
        Ok(Draft::new(EventKind::Transfer, description, lines))
    }

    pub(super) fn yield_value(
        &mut self,
        fid: usize,
        value: Value,
        bind: Option<String>,
        lines: Lines,
    ) -> Fallible<Draft> {
        let fiber = &self.fibers[fid];
        let resumer = match (fiber.kind, fiber.loop_driven, fiber.resumer) {
            (FiberKind::Generator, false, Some(r)) => r,
            _ => {
                return Err(format!(
                    "yield outside a generator driven by send(): {} cannot yield",
                    self.fiber_label(fid)
                ));
            }
        };
        let shown = self.show_repr(&value);
        self.top_frame_mut(fid)?.bind = bind;
        self.fibers[fid].resumer = None;
        self.set_status(fid, Status::Waiting(Wait::Yield));
        self.hand_over(fid, resumer, value, &shown);
        Ok(Draft::new(
            EventKind::Transfer,
            t!(
                "event_loop.sim.yield",
                shown = shown,
                who = self.fiber_label(fid),
                to = self.place(resumer)
            )
            .to_string(),
            lines,
        ))
    }

    pub(super) fn switch(
        &mut self,
        fid: usize,
        target: usize,
        mut args: Vec<Value>,
        bind: Option<String>,
        lines: Lines,
    ) -> Fallible<Draft> {
        let who = self.fiber_label(target);
        if target == fid {
            let value = args_value(args)?;
            if let Some(var) = &bind {
                self.assign(fid, var, value)?;
            }
            self.advance(fid)?;
            return Ok(Draft::new(
                EventKind::RunOp,
                t!("event_loop.sim.switch_self", who = who).to_string(),
                lines,
            ));
        }
        let kind = self.fibers[target].kind;
        if !matches!(kind, FiberKind::Greenlet | FiberKind::Script)
            || self.fibers[target].loop_driven
        {
            return Err(format!("switch() needs a greenlet, got {who}"));
        }
        if self.fibers[fid].kind == FiberKind::Callback {
            return Err("a callback cannot switch greenlets".into());
        }
        let started = match self.fibers[target].status {
            Status::NotStarted => false,
            Status::Waiting(Wait::Switched) => true,
            Status::Done | Status::Cancelled => {
                return Err(format!("{who} is dead: there is nothing to switch to"));
            }
            _ => return Err(format!("{who} is not waiting in a switch()")),
        };
        let reprs: Vec<String> = args.iter().map(|a| self.show_repr(a)).collect();
        let call = reprs.join(", ");
        // What crosses: the routine's arguments on a first switch, else switch()'s value.
        let shown = match reprs.len() {
            0 => "None".to_string(),
            1 => call.clone(),
            _ if started => format!("[{call}]"),
            _ => format!("({call})"),
        };
        self.top_frame_mut(fid)?.bind = bind;
        self.set_status(fid, Status::Waiting(Wait::Switched));
        let from = self.place(fid);
        if started {
            self.hand_over(fid, target, args_value(std::mem::take(&mut args))?, &shown);
        } else {
            if let Some(entry) = self.fibers[target].entry.as_mut() {
                entry.1 = args;
            }
            self.transfer = Some(Transfer {
                from: self.who_runs(fid),
                to: self.who_runs(target),
                value: shown.clone(),
            });
            self.set_status(target, Status::Running);
            self.current = Some(target);
        }
        Ok(Draft::new(
            EventKind::Transfer,
            t!("event_loop.sim.switch", call = call, from = from, who = who).to_string(),
            lines,
        ))
    }

    pub(super) fn wait_on(
        &mut self,
        fid: usize,
        future: usize,
        bind: Option<String>,
        after_run: bool,
        lines: Lines,
    ) -> Fallible<Draft> {
        let label = self.futures[future].label.clone();
        if let Some(value) = self.futures[future].value.clone() {
            let shown = self.show_repr(&value);
            if let Some(var) = &bind {
                self.assign(fid, var, value)?;
            }
            self.advance(fid)?;
            return Ok(Draft::new(
                EventKind::RunOp,
                t!("event_loop.sim.await_done", label = label, shown = shown).to_string(),
                lines,
            ));
        }
        self.futures[future].waiters.push(Waiter::Wake(fid));
        let place = self.place(fid);
        let frame = self.top_frame_mut(fid)?;
        frame.bind = bind;
        frame.after_run = after_run;
        frame.waiting_for = Some(label.clone());
        self.set_status(fid, Status::Waiting(Wait::Future(label.clone())));
        self.current = None;
        let description = match self.fibers[fid].style {
            Some(SpawnStyle::Gevent) => {
                t!("event_loop.sim.gevent_wait", label = label, place = place).to_string()
            }
            Some(SpawnStyle::Generator) => t!(
                "event_loop.sim.generator_wait",
                label = label,
                place = place
            )
            .to_string(),
            _ => t!(
                "event_loop.sim.await_suspends",
                label = label,
                place = place
            )
            .to_string(),
        };
        Ok(Draft::new(EventKind::Suspend, description, lines))
    }

    pub(super) fn ensure_can_suspend(&self, fid: usize) -> Fallible<()> {
        let fiber = &self.fibers[fid];
        match fiber.kind {
            FiberKind::Callback => Err(format!(
                "{} is a plain callback: it cannot await, only a task can",
                fiber.name
            )),
            FiberKind::Generator if !fiber.loop_driven => Err(format!(
                "{} is driven by send(): it cannot wait for the event loop",
                self.fiber_label(fid)
            )),
            _ => Ok(()),
        }
    }

    /// The future an await waits on, creating sleeps, gathers and tasks as needed.
    pub(super) fn future_for(&mut self, fid: usize, what: &Awaitable) -> Fallible<usize> {
        match what {
            Awaitable::Sleep { ms } => {
                let ms = self.eval_ms(fid, ms)?;
                let label = format!("sleep({ms} ms)");
                let future = self.new_future(label.clone());
                self.add_timer(
                    ms,
                    label,
                    Job::Resolve {
                        future,
                        value: Value::None,
                    },
                    Some(fid),
                );
                Ok(future)
            }
            Awaitable::Handle(expr) => match self.eval(fid, expr)? {
                Value::Future(id) => self.future_ref(&Value::Future(id)),
                Value::Fiber(id) => {
                    let id = self.fiber_ref(&Value::Fiber(id))?;
                    self.fibers[id]
                        .done_future
                        .ok_or_else(|| format!("{} cannot be awaited", self.fiber_label(id)))
                }
                other => Err(format!("TypeError: {} cannot be awaited", other.repr())),
            },
            Awaitable::Call { routine, args } => {
                let (index, args) = self.callee(fid, routine, args)?;
                let task = self.spawn(index, args, SpawnStyle::Task, None);
                self.fibers[task]
                    .done_future
                    .ok_or_else(|| "task without a future".into())
            }
            Awaitable::Gather(items) => {
                let mut parts = Vec::new();
                for item in items {
                    parts.push(self.future_for(fid, item)?);
                }
                let names: Vec<String> = parts
                    .iter()
                    .map(|&p| self.futures[p].label.clone())
                    .collect();
                let future = self.new_future(format!("gather({})", names.join(", ")));
                let gather = self.gathers.len();
                self.gathers.push(GatherSlot {
                    future,
                    results: vec![None; parts.len()],
                });
                for (index, part) in parts.into_iter().enumerate() {
                    match self.futures[part].value.clone() {
                        Some(value) => self.gathers[gather].results[index] = Some(value),
                        None => self.futures[part]
                            .waiters
                            .push(Waiter::GatherPart { gather, index }),
                    }
                }
                if self.gathers[gather].results.iter().all(Option::is_some) {
                    let values = self.gathers[gather]
                        .results
                        .iter()
                        .flatten()
                        .cloned()
                        .collect();
                    self.resolve_future(future, bounded_list(values)?)?;
                }
                Ok(future)
            }
        }
    }

    /// Sets a future's result and runs its waiters' bookkeeping; returns what happened.
    pub(super) fn resolve_future(&mut self, future: usize, value: Value) -> Fallible<Vec<String>> {
        let mut work = VecDeque::from([(future, value)]);
        let mut notes = Vec::new();
        while let Some((future, value)) = work.pop_front() {
            let slot = &mut self.futures[future];
            if slot.value.is_some() {
                return Err(format!(
                    "InvalidStateError: {} already has a result",
                    slot.label
                ));
            }
            slot.value = Some(value.clone());
            for waiter in std::mem::take(&mut slot.waiters) {
                match waiter {
                    Waiter::Wake(fiber) => {
                        if self.fibers[fiber].status.is_over() {
                            continue;
                        }
                        let who = self.fiber_label(fiber);
                        self.set_status(fiber, Status::Ready);
                        self.queue_macrotask(
                            Job::Resume {
                                fiber,
                                value: value.clone(),
                            },
                            format!("wake {who}"),
                        );
                        notes.push(t!("event_loop.sim.note_wake", who = who).to_string());
                    }
                    Waiter::DoneCallback(routine) => {
                        let name = self.program.routines[routine].name.clone();
                        self.queue_macrotask(
                            Job::Call {
                                routine,
                                args: vec![value.clone()],
                                derived: None,
                            },
                            format!("done callback {name}"),
                        );
                        notes
                            .push(t!("event_loop.sim.note_done_callback", name = name).to_string());
                    }
                    Waiter::Reaction { routine, derived } => {
                        let name = self.program.routines[routine].name.clone();
                        self.queue_microtask(routine, value.clone(), derived);
                        notes.push(t!("event_loop.sim.note_reaction", name = name).to_string());
                    }
                    Waiter::GatherPart { gather, index } => {
                        let slot = &mut self.gathers[gather];
                        slot.results[index] = Some(value.clone());
                        let done = slot.results.iter().filter(|r| r.is_some()).count();
                        let total = slot.results.len();
                        notes.push(
                            t!("event_loop.sim.note_gather", done = done, total = total)
                                .to_string(),
                        );
                        if done == total {
                            let values = slot.results.iter().flatten().cloned().collect();
                            work.push_back((slot.future, bounded_list(values)?));
                        }
                    }
                    Waiter::Forward(target) => work.push_back((target, value.clone())),
                }
            }
        }
        Ok(notes)
    }

    /// `asyncio.run` is over: every loop-driven fiber still alive is cancelled.
    pub(super) fn cancel_leftovers(&mut self, except: usize) -> Vec<String> {
        let victims: Vec<usize> = (0..self.fibers.len())
            .filter(|&id| {
                id != except && self.fibers[id].loop_driven && !self.fibers[id].status.is_over()
            })
            .collect();
        for &id in &victims {
            let fiber = &mut self.fibers[id];
            fiber.frames.clear();
            fiber.entry = None;
            fiber.resume = None;
            self.set_status(id, Status::Cancelled);
            self.timers.retain(|t| t.owner != Some(id));
        }
        let gone = |item: &Queued| item.job.fiber().is_some_and(|f| victims.contains(&f));
        self.macrotasks.retain(|item| !gone(item));
        self.microtasks.retain(|item| !gone(item));
        victims.iter().map(|&id| self.fiber_label(id)).collect()
    }
}
