//! The explorer page's state: the program in the editor, step mode's history, and the search.
//!
//! Step mode and searches always use the last text that parsed, so a typo half-way through an
//! edit shows its error without throwing away what the visitor was looking at.

use crate::model::labs::explorer::{
    BUDGET_MAX, BUDGET_MIN, DEFAULT_PRESET, ExploreParams, ExploreResult, History, LineRange,
    MAX_STEPS_RANGE, Mode, PREEMPTIONS_MAX, PRESETS, ParseError, Program, RANDOM_SCHEDULES_MAX,
    parse, parse_field, preset, thread_lines,
};
use crate::runtime::labs::explorer::ExploreProgress;
use crate::ui::app::linked_input;
use crate::ui::hooks::link_value;
use std::rc::Rc;
use yew::Reducible;

/// The search form as typed (validated only when a search starts).
#[derive(Clone, Debug, PartialEq)]
pub struct Form {
    pub mode: Mode,
    pub budget: String,
    pub preemptions: String,
    pub schedules: String,
    pub seed: String,
    pub max_steps: String,
}

impl Default for Form {
    fn default() -> Form {
        let defaults = ExploreParams::default();
        Form {
            mode: defaults.mode,
            budget: defaults.budget.to_string(),
            preemptions: defaults.preemptions.to_string(),
            schedules: defaults.schedules.to_string(),
            seed: defaults.seed.to_string(),
            max_steps: defaults.max_steps.to_string(),
        }
    }
}

/// A form field the visitor edits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    Budget,
    Preemptions,
    Schedules,
    Seed,
    MaxSteps,
}

impl Field {
    /// Each field with its input key in the page's link.
    const LINKED: [(Field, &'static str); 5] = [
        (Field::Budget, "explorer/budget"),
        (Field::Preemptions, "explorer/preemptions"),
        (Field::Schedules, "explorer/schedules"),
        (Field::Seed, "explorer/seed"),
        (Field::MaxSteps, "explorer/max_steps"),
    ];
}

impl Form {
    fn text(&self, field: Field) -> String {
        match field {
            Field::Budget => self.budget.clone(),
            Field::Preemptions => self.preemptions.clone(),
            Field::Schedules => self.schedules.clone(),
            Field::Seed => self.seed.clone(),
            Field::MaxSteps => self.max_steps.clone(),
        }
    }

    /// The search parameters for `program`, or the first field that is wrong and why. Fields the
    /// mode does not use are not checked, so a stale seed never blocks an exhaustive search.
    pub fn params(&self, program: &str) -> Result<ExploreParams, String> {
        let defaults = ExploreParams::default();
        let budget = parse_field("budget", &self.budget, BUDGET_MIN, BUDGET_MAX)?;
        let max_steps = parse_field(
            "max_steps",
            &self.max_steps,
            MAX_STEPS_RANGE.0,
            MAX_STEPS_RANGE.1,
        )?;
        let preemptions = match self.mode {
            Mode::Bounded => parse_field("preemptions", &self.preemptions, 0, PREEMPTIONS_MAX)?,
            _ => defaults.preemptions,
        };
        let (schedules, seed) = match self.mode {
            Mode::Random => (
                parse_field("schedules", &self.schedules, 1, RANDOM_SCHEDULES_MAX)?,
                parse_field("seed", &self.seed, 0, u64::MAX)?,
            ),
            _ => (defaults.schedules, defaults.seed),
        };
        let params = ExploreParams {
            program: Some(program.to_string()),
            preset: None,
            mode: self.mode,
            budget,
            preemptions,
            schedules,
            seed,
            max_steps,
        };
        params.validate()?;
        Ok(params)
    }

    fn with(&self, field: Field, text: String) -> Form {
        let mut form = self.clone();
        match field {
            Field::Budget => form.budget = text,
            Field::Preemptions => form.preemptions = text,
            Field::Schedules => form.schedules = text,
            Field::Seed => form.seed = text,
            Field::MaxSteps => form.max_steps = text,
        }
        form
    }
}

#[derive(Clone)]
pub struct State {
    /// Text in the editor.
    pub source: Rc<str>,
    /// The preset the text came from, until it is edited.
    pub preset: Option<&'static str>,
    /// Why the editor's text is not a program, if it is not.
    pub parse_error: Option<ParseError>,
    /// The last program that parsed, its text and its threads' line ranges.
    pub program: Rc<Program>,
    pub program_source: Rc<str>,
    pub lines: Rc<Vec<LineRange>>,
    /// Step mode's states.
    pub history: History,
    /// Why the last step-mode action did nothing, or what a replay loaded.
    pub notice: Option<String>,
    pub form: Form,
    pub running: bool,
    pub progress: ExploreProgress,
    /// Why the last search could not start or failed.
    pub error: Option<String>,
    /// The last search's result (for the program in step mode).
    pub result: Option<Rc<ExploreResult>>,
}

impl Default for State {
    fn default() -> State {
        let source = preset(DEFAULT_PRESET).map_or("", |p| p.source);
        let program = parse(source).unwrap_or_default();
        State {
            source: source.into(),
            preset: Some(DEFAULT_PRESET),
            parse_error: None,
            history: fresh_history(&program),
            program: Rc::new(program),
            program_source: source.into(),
            lines: Rc::new(thread_lines(source)),
            notice: None,
            form: Form::default(),
            running: false,
            progress: ExploreProgress::default(),
            error: None,
            result: None,
        }
    }
}

fn fresh_history(program: &Program) -> History {
    // Every parsed program compiles (parse checks that), so the fallback is never used.
    History::new(program)
        .or_else(|_| History::new(&Program::default()))
        .expect("the empty program compiles")
}

pub enum Action {
    /// The editor's text changed.
    Edit(String),
    /// A preset was picked (by id).
    Preset(String),
    /// Run thread `n`'s next step.
    Step(usize),
    Undo,
    Redo,
    /// Move to after step `n` (0 = the start).
    GoTo(usize),
    /// Load a witness schedule into step mode.
    Replay(Rc<Vec<usize>>),
    Mode(Mode),
    Field(Field, String),
    /// The form is wrong; say why.
    Invalid(String),
    Started,
    Progress(ExploreProgress),
    Finished(Result<Rc<ExploreResult>, String>),
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            Action::Edit(text) => {
                if *self.source == *text {
                    return self;
                }
                next.preset = PRESETS.iter().find(|p| p.source == text).map(|p| p.id);
                next.load(text);
            }
            Action::Preset(id) => {
                let Some(preset) = preset(&id) else {
                    return self;
                };
                next.preset = Some(preset.id);
                next.load(preset.source.to_string());
            }
            Action::Step(thread) => match self.history.step(thread) {
                Ok(history) => next.moved_to(history),
                Err(reason) => next.notice = Some(reason),
            },
            Action::Undo => match self.history.undo() {
                Some(history) => next.moved_to(history),
                None => return self,
            },
            Action::Redo => match self.history.redo() {
                Some(history) => next.moved_to(history),
                None => return self,
            },
            Action::GoTo(position) => {
                if position == self.history.position() {
                    return self;
                }
                next.moved_to(self.history.go_to(position));
            }
            Action::Replay(schedule) => match History::load(&self.program, &schedule) {
                Ok(history) => {
                    next.notice = Some(t!("explorer.step.loaded", n = history.len()).to_string());
                    next.history = history;
                }
                Err(reason) => {
                    next.notice =
                        Some(t!("explorer.step.cannot_replay", reason = reason).to_string())
                }
            },
            Action::Mode(mode) => {
                if mode == self.form.mode {
                    return self;
                }
                next.form.mode = mode;
            }
            Action::Field(field, text) => next.form = self.form.with(field, text),
            Action::Invalid(message) => next.error = Some(message),
            Action::Started => {
                next.running = true;
                next.error = None;
                next.result = None;
                next.progress = ExploreProgress::default();
            }
            Action::Progress(progress) => {
                if !self.running || progress == self.progress {
                    return self;
                }
                next.progress = progress;
            }
            Action::Finished(Ok(result)) => {
                next.running = false;
                next.result = Some(result);
            }
            Action::Finished(Err(message)) => {
                next.running = false;
                next.error = Some(message);
            }
        }
        Rc::new(next)
    }
}

impl State {
    /// The state shown on a return to the page: the kept one without a search in flight (its
    /// result cannot reach an unmounted view), with the link's program and form over it.
    pub fn restored(kept: State) -> State {
        State {
            running: false,
            ..kept
        }
        .with_link()
    }

    /// This state with the program and the search form the page's link carries: a preset's
    /// id, or an edited program's text.
    pub fn with_link(self) -> State {
        let mut state = Rc::new(self);
        if let Some(id) = linked_input::<String>("explorer/preset") {
            state = state.reduce(Action::Preset(id));
        }
        if let Some(source) = linked_input::<String>("explorer/program") {
            state = state.reduce(Action::Edit(source));
        }
        if let Some(mode) = linked_input::<Mode>("explorer/mode") {
            state = state.reduce(Action::Mode(mode));
        }
        for (field, name) in Field::LINKED {
            if let Some(text) = linked_input::<String>(name) {
                state = state.reduce(Action::Field(field, text));
            }
        }
        Rc::unwrap_or_clone(state)
    }

    /// Writes the program and the form into the link where they differ from the defaults.
    pub fn link(&self) {
        let defaults = Form::default();
        // An edited program has no preset: its text goes in the link instead.
        let preset = self.preset.unwrap_or(DEFAULT_PRESET);
        link_value("explorer/preset", &preset, &DEFAULT_PRESET);
        let edited = if self.preset.is_none() {
            self.source.to_string()
        } else {
            String::new()
        };
        link_value("explorer/program", &edited, &String::new());
        link_value("explorer/mode", &self.form.mode, &defaults.mode);
        for (field, name) in Field::LINKED {
            link_value(name, &self.form.text(field), &defaults.text(field));
        }
    }

    /// Shows another state of the same history; the last notice no longer applies.
    fn moved_to(&mut self, history: History) {
        self.history = history;
        self.notice = None;
    }

    /// Takes new editor text: parses it and, if it parses, makes it step mode's program. A
    /// search result survives only if the program means the same (comments or layout changed).
    fn load(&mut self, text: String) {
        match parse(&text) {
            Ok(program) => {
                if program != *self.program {
                    self.result = None;
                }
                self.parse_error = None;
                self.history = fresh_history(&program);
                self.program = Rc::new(program);
                self.lines = Rc::new(thread_lines(&text));
                self.program_source = text.as_str().into();
                self.notice = None;
            }
            Err(error) => self.parse_error = Some(error),
        }
        self.source = text.into();
    }
}
