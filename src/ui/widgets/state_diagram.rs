//! A state diagram: boxes at fixed places, arrows between them each labelled with a count.
//! The processes lab's five states, asyncio's task life cycle and the notes' thread life cycle
//! are drawn with it; each lab decides the places and what the counts mean.

use crate::ui::widgets::scroller::ChartScroller;
use yew::prelude::*;

/// Half the width and height of a box.
const HALF: (f64, f64) = (54.0, 17.0);

/// One box: its key (a CSS class and `data-state`), text, centre, and extra classes.
#[derive(Clone, PartialEq)]
pub struct Node {
    pub key: &'static str,
    pub text: String,
    pub at: (f64, f64),
    pub classes: Classes,
    /// Shown on hover (the tasks or threads in it).
    pub title: String,
    /// How many are in it now, where that is known (`data-count`).
    pub count: Option<usize>,
}

/// One arrow between two boxes' keys; `bend` moves it down (up when negative), so two level
/// arrows between the same boxes run one above the other; `unseen` draws it dashed (a move
/// nobody can see, or none taken yet).
#[derive(Clone, PartialEq)]
pub struct Arrow {
    pub from: &'static str,
    pub to: &'static str,
    pub label: String,
    pub bend: f64,
    pub unseen: bool,
    /// Where along the arrow its count sits (0.5: the middle), to keep crossing arrows'
    /// counts apart.
    pub label_at: f64,
}

#[derive(Properties, PartialEq)]
pub struct StateDiagramProps {
    pub nodes: Vec<Node>,
    pub arrows: Vec<Arrow>,
    pub size: (f64, f64),
    pub caption: AttrValue,
    #[prop_or_default]
    pub note: AttrValue,
    pub testid: AttrValue,
    /// Extra SVG drawn under the arrows (group frames and their names).
    #[prop_or_default]
    pub backdrop: Html,
    #[prop_or_default]
    pub class: Classes,
}

/// Where a segment from a box's centre towards (dx, dy) leaves the box.
fn edge(dx: f64, dy: f64) -> (f64, f64) {
    let scale = (HALF.0 / dx.abs().max(1e-9)).min(HALF.1 / dy.abs().max(1e-9));
    (dx * scale, dy * scale)
}

#[component]
pub fn StateDiagram(props: &StateDiagramProps) -> Html {
    let place = |key: &str| props.nodes.iter().find(|n| n.key == key).map(|n| n.at);
    let arrow = |a: &Arrow| {
        let (Some((x1, y1)), Some((x2, y2))) = (place(a.from), place(a.to)) else {
            return html! {};
        };
        let (dx, dy) = (x2 - x1, y2 - y1);
        let (ox, oy) = edge(dx, dy);
        let (sx, sy, ex, ey) = (x1 + ox, y1 + oy + a.bend, x2 - ox, y2 - oy + a.bend);
        // Counts sit above a level arrow (below when bent down), beside a slanted one.
        let (label_dx, label_dy) = if dy.abs() < 1.0 {
            (0.0, if a.bend > 0.0 { 15.0 } else { -6.0 })
        } else if dx < 0.0 {
            (-10.0, 4.0)
        } else {
            (10.0, 4.0)
        };
        html! {
            <g class={classes!("arrow", a.unseen.then_some("unseen"))} data-from={a.from} data-to={a.to}>
                <line x1={format!("{sx:.1}")} y1={format!("{sy:.1}")} x2={format!("{ex:.1}")} y2={format!("{ey:.1}")} marker-end={format!("url(#{}-head)", props.testid)} />
                <text x={format!("{:.1}", sx + (ex - sx) * a.label_at + label_dx)} y={format!("{:.1}", sy + (ey - sy) * a.label_at + label_dy)}
                    text-anchor="middle" class="count">{ a.label.clone() }</text>
            </g>
        }
    };
    let node = |n: &Node| {
        let (x, y) = n.at;
        html! {
            <g class={classes!("node", n.key, n.classes.clone())} data-state={n.key} data-count={n.count.map(|c| c.to_string())}>
                if !n.title.is_empty() { <title>{ n.title.clone() }</title> }
                <rect x={format!("{:.0}", x - HALF.0)} y={format!("{:.0}", y - HALF.1)} width={format!("{:.0}", 2.0 * HALF.0)}
                    height={format!("{:.0}", 2.0 * HALF.1)} rx="6" />
                <text x={format!("{x:.0}")} y={format!("{:.0}", y + 5.0)} text-anchor="middle">{ n.text.clone() }</text>
            </g>
        }
    };
    let (width, height) = props.size;
    html! {
        <figure class={classes!("state-diagram", props.class.clone())} data-testid={props.testid.clone()}>
            <ChartScroller view_width={width} label={props.caption.clone()}>
                <svg viewBox={format!("0 0 {width:.0} {height:.0}")} role="img" aria-label={props.caption.clone()}>
                    <defs><marker id={format!("{}-head", props.testid)} viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto">
                        <path d="M0,0 L10,5 L0,10 z" /></marker></defs>
                    { props.backdrop.clone() }
                    { for props.arrows.iter().map(arrow) }
                    { for props.nodes.iter().map(node) }
                </svg>
            </ChartScroller>
            <figcaption>{ props.caption.clone() }{ " " }{ props.note.clone() }</figcaption>
        </figure>
    }
}
