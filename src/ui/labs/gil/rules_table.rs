//! The notes' bank under every switch rule, run several times each: which rules lose updates.

use crate::model::labs::gil::lab::{GilParams, GilReport, SwitchRule, Workload};
use crate::runtime::cancel;
use crate::runtime::labs::gil as kernel;
use crate::ui::boot::BootState;
use std::rc::Rc;
use yew::prelude::*;

/// One rule's tally.
#[derive(Clone, Debug, PartialEq)]
struct Row {
    rule: SwitchRule,
    runs: u32,
    losing_runs: u32,
    lost: u64,
    wrong_balances: u32,
    ms: f64,
}

const RUNS: u32 = 10;
const UNITS: u32 = 400_000;

#[component]
pub fn RulesTable() -> Html {
    let pool = use_context::<BootState>().map_or(0, |b| b.threads());
    let rows = use_state(|| Rc::new(Vec::<Row>::new()));
    let running = use_state(|| false);
    let error = use_state(|| None::<String>);
    let on_run = {
        let (rows, running, error) = (rows.clone(), running.clone(), error.clone());
        Callback::from(move |_: MouseEvent| {
            let (rows, running, error) = (rows.clone(), running.clone(), error.clone());
            running.set(true);
            error.set(None);
            yew::platform::spawn_local(async move {
                let mut table = Vec::new();
                let outcome: Result<(), String> = async {
                    for rule in SwitchRule::ALL {
                        let mut row = Row {
                            rule,
                            runs: 0,
                            losing_runs: 0,
                            lost: 0,
                            wrong_balances: 0,
                            ms: 0.0,
                        };
                        for _ in 0..RUNS {
                            let report: GilReport = kernel::run(GilParams {
                                threads: 2,
                                workload: Workload::Bank,
                                rule,
                                units: UNITS,
                                ..GilParams::default()
                            })
                            .await?;
                            let lost = report.lost_updates.unwrap_or(0);
                            row.runs += 1;
                            row.losing_runs += u32::from(lost > 0);
                            row.lost += lost;
                            row.wrong_balances += u32::from(report.final_balance.unwrap_or(0) != 0);
                            row.ms += report.wall_ms;
                            table.push(row.clone());
                            table.dedup_by(|a, b| a.rule == b.rule);
                            if let Some(last) = table.last_mut() {
                                *last = row.clone();
                            }
                            rows.set(Rc::new(table.clone()));
                        }
                    }
                    Ok(())
                }
                .await;
                if let Err(e) = outcome {
                    error.set(Some(e));
                }
                running.set(false);
            });
        })
    };
    html! {
        <div class="experiment" data-testid="gil-rules">
            <h3>{ t!("heading.rules_table").to_string() }</h3>
            <p class="lede">{ t!("gil.rules.lede", units = UNITS, runs = RUNS).to_string() }</p>
            <div class="buttons">
                <button type="button" onclick={on_run} disabled={*running || pool < 2} data-testid="gil-rules-run">
                    { t!("gil.rules.run", runs = RUNS).to_string() }</button>
                <button type="button" onclick={Callback::from(|_: MouseEvent| cancel::cancel_all())} disabled={!*running}>{ t!("run.cancel").to_string() }</button>
            </div>
            if let Some(e) = &*error {
                <p class="error" role="alert">{ e.clone() }</p>
            }
            if !rows.is_empty() {
                <div class="table-scroll">
                <table class="history" data-testid="gil-rules-table">
                    <caption>{ t!("gil.rules.caption").to_string() }</caption>
                    <thead><tr><th>{ t!("gil.rules.rule").to_string() }</th><th>{ t!("gil.rules.stands_for").to_string() }</th><th>{ t!("gil.rules.losing_runs").to_string() }</th>
                        <th>{ t!("gil.rules.lost").to_string() }</th><th>{ t!("gil.rules.wrong_balances").to_string() }</th><th>{ t!("gil.rules.mean_ms").to_string() }</th></tr></thead>
                    <tbody>
                        { for rows.iter().map(|r| html! {
                            <tr data-rule={r.rule.id()}>
                                <td>{ r.rule.id() }</td><td>{ r.rule.versions() }</td>
                                <td class={classes!((r.losing_runs > 0).then_some("bad"))}>{ t!("gil.rules.k_of_n", k = r.losing_runs, n = r.runs).to_string() }</td>
                                <td>{ r.lost }</td><td>{ t!("gil.rules.k_of_n", k = r.wrong_balances, n = r.runs).to_string() }</td>
                                <td>{ format!("{:.0}", r.ms / f64::from(r.runs.max(1))) }</td>
                            </tr>
                        }) }
                    </tbody>
                </table>
                </div>
            }
        </div>
    }
}
