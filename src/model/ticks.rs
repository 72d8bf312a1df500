//! Axis ticks a reader can use: round steps (1, 2 or 5 times a power of ten) from zero or
//! the axis start to at least its end, about `wanted` of them, so every chart labels its
//! axes the same way.

/// Ticks from `start` to `end` (inclusive): multiples of a round step, the first at or
/// below `start` and the last at or above `end`. `end <= start` gives one tick.
pub fn nice_ticks(start: f64, end: f64, wanted: usize) -> Vec<f64> {
    if !start.is_finite() || !end.is_finite() || end <= start {
        return vec![if start.is_finite() { start } else { 0.0 }];
    }
    let step = nice_step((end - start) / wanted.max(1) as f64);
    let first = (start / step).floor();
    let last = (end / step).ceil();
    // Multiplying from integers keeps 0.1 + 0.2 noise out of the labels.
    (first as i64..=last as i64)
        .map(|i| i as f64 * step)
        .collect()
}

/// The round step (1, 2 or 5 × 10^k) nearest to `raw` by ratio, so the count of ticks stays
/// close to the one asked for.
pub fn nice_step(raw: f64) -> f64 {
    if raw <= 0.0 || !raw.is_finite() {
        return 1.0;
    }
    let power = 10f64.powf(raw.log10().floor());
    let off_by = |step: f64| (step / raw).max(raw / step);
    [1.0, 2.0, 5.0, 10.0]
        .map(|m| m * power)
        .into_iter()
        .fold(power, |best, step| {
            if off_by(step) < off_by(best) {
                step
            } else {
                best
            }
        })
}

/// The smallest round value (1, 2 or 5 × 10^k, at least 1) that holds `span`: where a
/// growing chart's axis ends, so it changes only now and then.
pub fn round_up(span: f64) -> f64 {
    if span <= 1.0 || !span.is_finite() {
        return 1.0;
    }
    let power = 10f64.powf(span.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .map(|m| m * power)
        .into_iter()
        .find(|&step| step >= span)
        .unwrap_or(10.0 * power)
}

/// A tick's label: whole numbers without decimals, others with as few as the step needs.
pub fn tick_label(value: f64, step: f64) -> String {
    let decimals = if step >= 1.0 {
        0
    } else {
        (-step.log10().floor()) as usize
    };
    format!("{value:.decimals$}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_round_and_cover_the_range() {
        assert_eq!(
            nice_ticks(0.0, 100.0, 5),
            [0.0, 20.0, 40.0, 60.0, 80.0, 100.0]
        );
        assert_eq!(
            nice_ticks(0.0, 87.0, 4),
            [0.0, 20.0, 40.0, 60.0, 80.0, 100.0]
        );
        assert_eq!(nice_ticks(1.0, 6.0, 5), [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]);
        assert_eq!(nice_ticks(0.0, 1.9, 4), [0.0, 0.5, 1.0, 1.5, 2.0]);
        assert_eq!(nice_ticks(0.0, 6.0, 4), [0.0, 2.0, 4.0, 6.0]);
        assert_eq!(
            nice_ticks(0.0, 0.3, 3),
            [0.0, 0.1, 0.2, 0.30000000000000004]
        );
        assert_eq!(nice_ticks(5.0, 5.0, 4), [5.0]);
        assert_eq!(nice_ticks(f64::NAN, 1.0, 4), [0.0]);
    }

    #[test]
    fn steps_are_one_two_or_five_times_a_power_of_ten() {
        assert_eq!(nice_step(17.4), 20.0);
        assert_eq!(nice_step(0.03), 0.02);
        assert_eq!(nice_step(21.75), 20.0);
        assert_eq!(nice_step(1.5), 2.0);
        assert_eq!(nice_step(450.0), 500.0);
        assert_eq!(nice_step(1000.0), 1000.0);
        assert_eq!(nice_step(0.0), 1.0);
    }

    #[test]
    fn a_growing_axis_rounds_up_to_1_2_or_5() {
        let ends: Vec<f64> = [
            0.001, 1.0, 1.5, 2.0, 3.0, 7.0, 10.0, 11.0, 240.0, 501.0, 1000.0, 1630.0,
        ]
        .map(round_up)
        .to_vec();
        assert_eq!(
            ends,
            [
                1.0, 1.0, 2.0, 2.0, 5.0, 10.0, 10.0, 20.0, 500.0, 1000.0, 1000.0, 2000.0
            ]
        );
    }

    #[test]
    fn labels_have_the_decimals_the_step_needs() {
        assert_eq!(tick_label(40.0, 20.0), "40");
        assert_eq!(tick_label(1.5, 0.5), "1.5");
        assert_eq!(tick_label(0.30000000000000004, 0.1), "0.3");
        assert_eq!(tick_label(0.05, 0.05), "0.05");
    }
}
