//! What a timeline draws: spans reduced to at most one bar per lane per column (a column is
//! a few pixels at most).
//!
//! A run of 10 000 queue items records tens of thousands of spans; one SVG rectangle each
//! froze the page. Here each lane is cut into columns (the view picks how many); a column
//! shows the key (state or task) that covers most of it, and neighbouring columns with the
//! same key become one bar. A view thus creates at most `lanes × columns` bars whatever the
//! run's length, and every merged bar says how many spans it stands for.
//! `stacks` keeps every key of a column instead, in proportion to its time, for charts
//! where spans alternate faster than a column and one winner would mislead.

/// One span to draw: lane, key (what colours it), start and end in ms.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SpanIn {
    pub lane: usize,
    pub key: u32,
    pub start_ms: f64,
    pub end_ms: f64,
}

/// One bar to draw.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Bar {
    pub lane: usize,
    pub key: u32,
    /// First and last column covered (inclusive), in `0..columns`.
    pub first: usize,
    pub last: usize,
    /// Spans of the bar's key that start in its columns (a span is counted once; spans whose
    /// column another key won are drawn under it and not counted here).
    pub spans: usize,
    /// Time those spans cover inside the bar, in ms.
    pub busy_ms: f64,
}

/// Reduces `spans` on `lanes` lanes over `t0..t1` to bars on `columns` columns. A span
/// shorter than a column still shows if its key covers the most of that column.
pub fn bars(spans: &[SpanIn], lanes: usize, t0: f64, t1: f64, columns: usize) -> Vec<Bar> {
    let columns = columns.max(1);
    let cover = coverage(spans, lanes, t0, t1, columns);
    let mut out: Vec<Bar> = Vec::new();
    for lane in 0..lanes {
        let mut open: Option<Bar> = None;
        for column in 0..columns {
            let winner = cover[lane * columns + column]
                .iter()
                .copied()
                .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)));
            match (winner, open.as_mut()) {
                (Some((key, busy, count)), Some(bar))
                    if bar.key == key && bar.last + 1 == column =>
                {
                    bar.last = column;
                    bar.spans += count;
                    bar.busy_ms += busy;
                }
                (Some((key, busy, count)), _) => {
                    out.extend(open.take());
                    open = Some(Bar {
                        lane,
                        key,
                        first: column,
                        last: column,
                        spans: count,
                        busy_ms: busy,
                    });
                }
                (None, _) => out.extend(open.take()),
            }
        }
        out.extend(open);
    }
    out
}

/// A run of neighbouring columns on one lane with the same mix of keys: each key with its
/// share of the lane's height in steps (the shares sum to the `levels` asked for).
#[derive(Clone, Debug, PartialEq)]
pub struct Stack {
    pub lane: usize,
    pub first: usize,
    pub last: usize,
    /// (key, steps), keys ascending.
    pub mix: Vec<(u32, u32)>,
}

/// Like `bars`, but a column shows every key in proportion to the time it covers there,
/// stacked across the lane's height in `levels` steps. Where spans alternate faster than a
/// column (threads taking turns on a GIL), the lane reads "half this, half that" rather
/// than one arbitrary winner; a key too short to earn a step is left out.
pub fn stacks(
    spans: &[SpanIn],
    lanes: usize,
    t0: f64,
    t1: f64,
    columns: usize,
    levels: u32,
) -> Vec<Stack> {
    let columns = columns.max(1);
    let cover = coverage(spans, lanes, t0, t1, columns);
    let mut out = Vec::new();
    for lane in 0..lanes {
        let mut open: Option<Stack> = None;
        for column in 0..columns {
            let mix = shares(&cover[lane * columns + column], levels);
            match open.as_mut() {
                Some(stack) if stack.mix == mix && stack.last + 1 == column => {
                    stack.last = column;
                }
                _ => {
                    out.extend(open.take());
                    if !mix.is_empty() {
                        open = Some(Stack {
                            lane,
                            first: column,
                            last: column,
                            mix,
                        });
                    }
                }
            }
        }
        out.extend(open);
    }
    out
}

/// A column's keys as whole steps of `levels` (largest remainder; ties to the lower key),
/// keys ascending, those with no step left out.
fn shares(cell: &[(u32, f64, usize)], levels: u32) -> Vec<(u32, u32)> {
    let total: f64 = cell.iter().map(|c| c.1).sum();
    if total <= 0.0 {
        return Vec::new();
    }
    let mut parts: Vec<(u32, u32, f64)> = cell
        .iter()
        .map(|&(key, time, _)| {
            let exact = time / total * f64::from(levels);
            (key, exact.floor() as u32, exact - exact.floor())
        })
        .collect();
    let mut left = levels.saturating_sub(parts.iter().map(|p| p.1).sum());
    let mut order: Vec<usize> = (0..parts.len()).collect();
    order.sort_by(|&a, &b| {
        parts[b]
            .2
            .total_cmp(&parts[a].2)
            .then(parts[a].0.cmp(&parts[b].0))
    });
    for i in order {
        if left == 0 {
            break;
        }
        parts[i].1 += 1;
        left -= 1;
    }
    parts.sort_by_key(|p| p.0);
    parts
        .into_iter()
        .filter(|p| p.1 > 0)
        .map(|p| (p.0, p.1))
        .collect()
}

/// Per lane and column (`lane * columns + column`), the time each key covers there and
/// how many of its spans start there.
fn coverage(
    spans: &[SpanIn],
    lanes: usize,
    t0: f64,
    t1: f64,
    columns: usize,
) -> Vec<Vec<(u32, f64, usize)>> {
    let width = ((t1 - t0) / columns as f64).max(f64::MIN_POSITIVE);
    // Few keys per cell: a short list beats a map.
    let mut cover: Vec<Vec<(u32, f64, usize)>> = vec![Vec::new(); lanes * columns];
    for span in spans
        .iter()
        .filter(|s| s.lane < lanes && s.end_ms >= s.start_ms)
    {
        let first = column_of(span.start_ms, t0, width, columns);
        // A span ending exactly on a column's edge does not reach into that column.
        let last = if span.end_ms > span.start_ms {
            let edge = ((span.end_ms - t0) / width).ceil() as usize;
            edge.saturating_sub(1).clamp(first, columns - 1)
        } else {
            first
        };
        for column in first..=last {
            let from = t0 + column as f64 * width;
            let overlap = (span.end_ms.min(from + width) - span.start_ms.max(from)).max(0.0);
            // A zero-length span still counts a little, so an instant is not invisible.
            let weight = overlap.max(width * 1e-6);
            // A span is counted once, in the column where it starts.
            let starts = usize::from(column == first);
            let cell = &mut cover[span.lane * columns + column];
            match cell.iter_mut().find(|(key, _, _)| *key == span.key) {
                Some(entry) => {
                    entry.1 += weight;
                    entry.2 += starts;
                }
                None => cell.push((span.key, weight, starts)),
            }
        }
    }
    cover
}

fn column_of(t: f64, t0: f64, width: f64, columns: usize) -> usize {
    (((t - t0) / width).floor().max(0.0) as usize).min(columns - 1)
}

/// `value` with `decimals` (at most 3) digits after the point, as `format!("{value:.N}")`
/// prints it for the magnitudes a chart uses (|value| < 9e15), except that it never prints
/// "-0" and rounds exact decimal halves away from zero. Integer arithmetic: a
/// timeline's final render formats thousands of coordinates, and the exact float path of
/// `format!` was a third of its time in the browser.
pub fn fixed(value: f64, decimals: u32) -> String {
    let decimals = decimals.min(3);
    let scale = 10i64.pow(decimals);
    if !value.is_finite() {
        return format!("{value}");
    }
    let scaled = (value * scale as f64).round() as i64;
    let sign = if scaled < 0 { "-" } else { "" };
    let (whole, part) = (
        scaled.unsigned_abs() / scale as u64,
        scaled.unsigned_abs() % scale as u64,
    );
    if decimals == 0 {
        format!("{sign}{whole}")
    } else {
        format!("{sign}{whole}.{part:0width$}", width = decimals as usize)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stacks_show_alternation_as_shares_and_solid_runs_whole() {
        // Lane 0: A and B take turns every 5 ms for 1 s, then A alone for 1 s.
        let mut spans: Vec<SpanIn> = (0..200)
            .map(|i| span(0, i % 2, f64::from(i) * 5.0, f64::from(i + 1) * 5.0))
            .collect();
        spans.push(span(0, 0, 1000.0, 2000.0));
        // Lane 1: 70 % A and 30 % B in every 100 ms; lane 2 empty but for one 1 ms span of
        // key 3 at 500 ms, inside a column of key 2.
        for i in 0..20 {
            let from = f64::from(i) * 100.0;
            spans.push(span(1, 0, from, from + 70.0));
            spans.push(span(1, 1, from + 70.0, from + 100.0));
        }
        spans.push(span(2, 2, 400.0, 500.0));
        spans.push(span(2, 3, 500.0, 501.0));
        spans.push(span(2, 2, 501.0, 600.0));
        let got = stacks(&spans, 3, 0.0, 2000.0, 20, 4);
        let stack = |lane, first, last, mix: &[(u32, u32)]| Stack {
            lane,
            first,
            last,
            mix: mix.to_vec(),
        };
        assert_eq!(
            got,
            vec![
                stack(0, 0, 9, &[(0, 2), (1, 2)]),
                stack(0, 10, 19, &[(0, 4)]),
                stack(1, 0, 19, &[(0, 3), (1, 1)]),
                // The 1 ms span earns no step; the gaps on either side end the run.
                stack(2, 4, 5, &[(2, 4)]),
            ]
        );
    }

    #[test]
    fn shares_round_by_largest_remainder_and_sum_to_the_levels() {
        assert_eq!(
            shares(&[(0, 1.0, 1), (1, 1.0, 1), (2, 1.0, 1)], 4),
            vec![(0, 2), (1, 1), (2, 1)]
        );
        assert_eq!(
            shares(&[(5, 0.3, 1), (2, 0.7, 1)], 10),
            vec![(2, 7), (5, 3)]
        );
        assert_eq!(shares(&[], 4), vec![]);
        for n in 1..40_u32 {
            let cell: Vec<(u32, f64, usize)> =
                (0..n).map(|k| (k, f64::from(k % 7 + 1), 1)).collect();
            assert_eq!(
                shares(&cell, 12).iter().map(|s| s.1).sum::<u32>(),
                12,
                "{n} keys"
            );
        }
    }

    #[test]
    fn fixed_prints_like_format_for_chart_values() {
        assert_eq!(fixed(12.345_67, 2), "12.35");
        assert_eq!(fixed(0.05, 1), "0.1");
        assert_eq!(fixed(-0.25, 1), "-0.3");
        assert_eq!(fixed(-0.04, 1), "0.0");
        assert_eq!(fixed(1000.0, 0), "1000");
        assert_eq!(fixed(7.0, 3), "7.000");
        assert_eq!(fixed(f64::NAN, 2), "NaN");
        // Against format! on a spread of coordinates (away from exact halves, where
        // format! rounds the binary value and this rounds half away from zero).
        let near_half = |v: f64, scale: f64| ((v * scale).abs().fract() - 0.5).abs() < 1e-6;
        for i in 0..10_000 {
            let v = f64::from(i) * 0.123_457 - 50.0;
            if near_half(v, 100.0) || near_half(v, 10.0) {
                continue;
            }
            assert_eq!(fixed(v, 2), format!("{v:.2}"), "{v}");
            assert_eq!(fixed(v, 1), format!("{v:.1}"), "{v}");
        }
    }

    fn span(lane: usize, key: u32, start_ms: f64, end_ms: f64) -> SpanIn {
        SpanIn {
            lane,
            key,
            start_ms,
            end_ms,
        }
    }

    #[test]
    fn long_spans_keep_their_extent_and_short_ones_merge() {
        // Lane 0: one span over the first half. Lane 1: 1000 tiny alternating spans.
        let mut spans = vec![span(0, 7, 0.0, 50.0)];
        for i in 0..1000 {
            let t = i as f64 * 0.1;
            spans.push(span(1, (i % 2) as u32, t, t + 0.09));
        }
        let bars = bars(&spans, 2, 0.0, 100.0, 100);
        let lane0: Vec<&Bar> = bars.iter().filter(|b| b.lane == 0).collect();
        assert_eq!(lane0.len(), 1);
        assert_eq!((lane0[0].first, lane0[0].last, lane0[0].spans), (0, 49, 1));
        assert!((lane0[0].busy_ms - 50.0).abs() < 1e-9);
        // Each column holds 10 spans, 5 of each key with equal time: the lower key wins
        // ties, so the whole lane is one bar standing for all 1000 spans.
        let lane1: Vec<&Bar> = bars.iter().filter(|b| b.lane == 1).collect();
        assert_eq!(lane1.len(), 1);
        assert_eq!(lane1[0].spans, 500);
        assert_eq!((lane1[0].first, lane1[0].last), (0, 99));
    }

    #[test]
    fn the_bar_count_is_bounded_by_lanes_times_columns() {
        let spans: Vec<SpanIn> = (0..200_000)
            .map(|i| {
                span(
                    i % 6,
                    (i % 7) as u32,
                    i as f64 * 0.01,
                    i as f64 * 0.01 + 0.003,
                )
            })
            .collect();
        let bars = bars(&spans, 6, 0.0, 2000.0, 900);
        assert!(bars.len() <= 6 * 900, "{}", bars.len());
        let counted: usize = bars.iter().map(|b| b.spans).sum();
        assert!(counted > 0 && counted <= 200_000);
    }

    #[test]
    fn an_instant_and_a_gap_are_kept_apart() {
        let spans = [span(0, 1, 10.0, 10.0), span(0, 2, 60.0, 70.0)];
        let bars = bars(&spans, 1, 0.0, 100.0, 10);
        assert_eq!(
            bars.iter()
                .map(|b| (b.key, b.first, b.last))
                .collect::<Vec<_>>(),
            [(1, 1, 1), (2, 6, 6)]
        );
    }
}
