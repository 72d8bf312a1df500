//! Measured speedup against ideal linear scaling, with parallel efficiency per point.

use yew::prelude::*;

/// One measured point.
#[derive(Clone, Debug, PartialEq)]
pub struct SpeedupPoint {
    pub threads: u32,
    pub speedup: f64,
    pub efficiency: f64,
}

#[derive(Properties, PartialEq)]
pub struct SpeedupChartProps {
    pub points: Vec<SpeedupPoint>,
    /// Highest thread count on the x axis.
    pub max_threads: u32,
}

const W: f64 = 480.0;
const H: f64 = 260.0;
const PAD: f64 = 40.0;
/// Room on the right for the last point's label.
const RIGHT: f64 = 110.0;

/// An SVG chart: dashed ideal line y = x, measured points joined, labels "1.9× · 95 %".
#[component]
pub fn SpeedupChart(props: &SpeedupChartProps) -> Html {
    let top = f64::from(props.max_threads.max(2));
    let y_top = props
        .points
        .iter()
        .map(|p| p.speedup)
        .fold(top, f64::max)
        .ceil();
    let x = |threads: f64| PAD + (threads - 1.0) / (top - 1.0) * (W - PAD - RIGHT);
    let y = |speedup: f64| H - PAD - speedup / y_top * (H - 2.0 * PAD);
    let measured: Vec<String> = props
        .points
        .iter()
        .map(|p| format!("{:.1},{:.1}", x(f64::from(p.threads)), y(p.speedup)))
        .collect();
    let ticks: Vec<u32> = (1..=props.max_threads.max(2)).collect();
    html! {
        <figure class="chart">
            <svg viewBox={format!("0 0 {W} {H}")} role="img"
                 aria-label="Speedup against number of threads: measured and ideal">
                <line class="axis" x1={PAD.to_string()} y1={(H - PAD).to_string()} x2={(W - RIGHT).to_string()} y2={(H - PAD).to_string()} />
                <line class="axis" x1={PAD.to_string()} y1={PAD.to_string()} x2={PAD.to_string()} y2={(H - PAD).to_string()} />
                { for ticks.iter().map(|&t| html! {
                    <text class="tick" x={x(f64::from(t)).to_string()} y={(H - PAD + 16.0).to_string()} text-anchor="middle">{ t }</text>
                }) }
                <text class="tick" x={(PAD - 8.0).to_string()} y={y(y_top).to_string()} text-anchor="end">{ format!("{y_top:.0}×") }</text>
                <text class="tick" x={(PAD - 8.0).to_string()} y={y(1.0).to_string()} text-anchor="end">{ "1×" }</text>
                <text class="axis-title" x={(W / 2.0).to_string()} y={(H - 6.0).to_string()} text-anchor="middle">{ "threads" }</text>
                <line class="ideal" x1={x(1.0).to_string()} y1={y(1.0).to_string()} x2={x(top).to_string()} y2={y(top).to_string()} />
                <polyline class="measured" points={measured.join(" ")} />
                { for props.points.iter().map(|p| {
                    let (cx, cy) = (x(f64::from(p.threads)), y(p.speedup));
                    html! {
                        <g class="point">
                            <circle cx={cx.to_string()} cy={cy.to_string()} r="4" />
                            <text x={(cx + 6.0).to_string()} y={(cy - 8.0).to_string()}>
                                { format!("{:.2}× · {:.0} %", p.speedup, 100.0 * p.efficiency) }
                            </text>
                        </g>
                    }
                }) }
            </svg>
            <figcaption>{ "Measured speedup (solid) against ideal scaling (dashed); labels give speedup and parallel efficiency." }</figcaption>
        </figure>
    }
}
