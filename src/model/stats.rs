//! Small statistics over measured samples (wall times, rates).
//!
//! Measurements in a browser are noisy; labs repeat a run and report the median with the
//! spread, so a visitor sees how much to trust a figure.

use serde::Serialize;

/// Summary of a non-empty set of samples.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Summary {
    pub n: usize,
    pub min: f64,
    pub max: f64,
    pub mean: f64,
    pub median: f64,
    /// Sample standard deviation (n − 1 in the denominator); 0 for a single sample.
    pub stddev: f64,
}

impl Summary {
    /// Summarises `samples`; `None` when empty or when any sample is not finite.
    pub fn of(samples: &[f64]) -> Option<Summary> {
        if samples.is_empty() || samples.iter().any(|x| !x.is_finite()) {
            return None;
        }
        let n = samples.len();
        let mut sorted = samples.to_vec();
        sorted.sort_by(f64::total_cmp);
        let mean = sorted.iter().sum::<f64>() / n as f64;
        let median = if n % 2 == 1 {
            sorted[n / 2]
        } else {
            (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0
        };
        let stddev = if n > 1 {
            let var = sorted.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
            var.sqrt()
        } else {
            0.0
        };
        Some(Summary {
            n,
            min: sorted[0],
            max: sorted[n - 1],
            mean,
            median,
            stddev,
        })
    }
}

/// Builds an equal-width histogram of integer outcomes: `(value, count)` sorted by value.
/// Used for "final balance over repeated runs" style charts.
pub fn tally(values: &[i64]) -> Vec<(i64, usize)> {
    let mut sorted = values.to_vec();
    sorted.sort_unstable();
    let mut out: Vec<(i64, usize)> = Vec::new();
    for v in sorted {
        match out.last_mut() {
            Some((last, count)) if *last == v => *count += 1,
            _ => out.push((v, 1)),
        }
    }
    out
}

/// How often things moved from one state to another, in first-seen order: a state diagram's
/// arrow counts (asyncio's tasks, the notes' thread life cycle).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Moves<S>(Vec<(S, S, u32)>);

impl<S> Default for Moves<S> {
    fn default() -> Self {
        Moves(Vec::new())
    }
}

impl<S: Copy + PartialEq> Moves<S> {
    pub fn add(&mut self, from: S, to: S) {
        match self.0.iter_mut().find(|(f, t, _)| (*f, *t) == (from, to)) {
            Some(entry) => entry.2 += 1,
            None => self.0.push((from, to, 1)),
        }
    }

    pub fn count(&self, from: S, to: S) -> u32 {
        self.0
            .iter()
            .find(|(f, t, _)| (*f, *t) == (from, to))
            .map_or(0, |m| m.2)
    }

    pub fn iter(&self) -> impl Iterator<Item = (S, S, u32)> + '_ {
        self.0.iter().copied()
    }

    pub fn total(&self) -> u32 {
        self.0.iter().map(|m| m.2).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_of_odd_and_even_counts() {
        let s = Summary::of(&[3.0, 1.0, 2.0]).unwrap();
        assert_eq!(
            (s.n, s.min, s.max, s.median, s.mean),
            (3, 1.0, 3.0, 2.0, 2.0)
        );
        assert!((s.stddev - 1.0).abs() < 1e-12);
        let s = Summary::of(&[4.0, 1.0, 2.0, 3.0]).unwrap();
        assert_eq!(s.median, 2.5);
    }

    #[test]
    fn summary_rejects_empty_and_non_finite() {
        assert_eq!(Summary::of(&[]), None);
        assert_eq!(Summary::of(&[1.0, f64::NAN]), None);
        assert_eq!(Summary::of(&[f64::INFINITY]), None);
        assert_eq!(Summary::of(&[5.0]).unwrap().stddev, 0.0);
    }

    #[test]
    fn tally_counts_each_value_in_order() {
        assert_eq!(tally(&[0, -8, 0, 5, 0, -8]), vec![(-8, 2), (0, 3), (5, 1)]);
        assert_eq!(tally(&[]), vec![]);
    }
}
