//! The one warning a run gives when some confidence interval has no finite end on a side:
//! an order-statistic interval is open when no order statistic lies far enough out for the
//! confidence asked ([`order::ci_ranks`]), and the mean's when one sample shows no spread.

use super::{order, Summary};

/// The warning a run gives once when some interval is open: which percentiles (and whether
/// the mean) have an interval with no finite end on some side, and the samples that would
/// close them. `None` when every interval is closed.
pub fn open_interval_warning<'a>(
    summaries: impl IntoIterator<Item = &'a Summary>,
    level: f64,
) -> Option<String> {
    let mut open: Vec<f64> = Vec::new();
    let mut mean_open = false;
    let mut samples = 0;
    for summary in summaries {
        for estimate in summary.percentiles.iter().filter(|e| e.is_open()) {
            if !open.contains(&estimate.percentile) {
                open.push(estimate.percentile);
            }
        }
        mean_open |=
            summary.mean_ci.low == f64::NEG_INFINITY || summary.mean_ci.high == f64::INFINITY;
        samples = samples.max(summary.samples);
    }
    if open.is_empty() && !mean_open {
        return None;
    }
    open.sort_by(f64::total_cmp);
    let mut names: Vec<String> = open.iter().map(|p| format!("P{p}")).collect();
    if mean_open {
        names.push("the mean".to_string());
    }
    let closing = closing_note(&open, mean_open, level);
    let why = if mean_open {
        "no order statistic lies far enough out for that confidence (for the mean: one sample \
         shows no spread)"
    } else {
        "no order statistic lies far enough out for that confidence"
    };
    Some(format!(
        "with {samples} samples, the {}% intervals of {} have no finite end on one or both \
         sides: {why}, so they run to -inf or inf (in summary.csv and bands.csv; null in \
         run.json) rather than stop at the sample minimum or maximum{closing}",
        level * 100.0,
        join_and(&names)
    ))
}

/// `; they close from N samples`: the sample size from which every open interval of the
/// sorted percentiles `open` (and the mean's when `mean_open`) closes, and which never close
/// (P0 and P100 are open on their outer side at any sample size).
fn closing_note(open: &[f64], mean_open: bool, level: f64) -> String {
    let needed = open
        .iter()
        .filter(|p| **p > 0.0 && **p < 100.0)
        .map(|p| order::samples_for_closed_interval(p / 100.0, level))
        .chain(mean_open.then_some(2))
        .max();
    let outer: Vec<String> = open
        .iter()
        .filter(|p| **p <= 0.0 || **p >= 100.0)
        .map(|p| format!("P{p}"))
        .collect();
    let outer_note = match outer.len() {
        1 => format!("{} is open on its outer side", outer[0]),
        _ => format!("{} are open on their outer side", join_and(&outer)),
    };
    match needed {
        Some(needed) if !outer.is_empty() => format!(
            "; all but {} close from {needed} samples ({outer_note} at any sample size)",
            join_and(&outer)
        ),
        Some(needed) => format!("; they close from {needed} samples"),
        None => format!("; {outer_note} at any sample size"),
    }
}

/// `a`, `a and b`, `a, b and c`.
fn join_and(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}
