//! Text on charts. The SVG backend writes text as SVG `<text>` for the reader's browser to
//! lay out (no font is read here), so widths are estimated: per-character advances of a
//! typical sans-serif face, rounded up, to keep labels from overlapping or leaving the chart.

use crate::model::{Input, Metric};

/// The estimated width in pixels of `text` at `px` pixels per em (sans-serif), with 8% to
/// spare for wider faces.
pub(crate) fn width(text: &str, px: f64) -> f64 {
    let ems: f64 = text
        .chars()
        .map(|c| match c {
            'i' | 'j' | 'l' | '.' | ',' | ':' | ';' | '\'' | '|' | '!' => 0.3,
            ' ' | 'f' | 't' | 'r' | '(' | ')' | '[' | ']' | '-' => 0.38,
            'm' | 'w' | 'M' | 'W' | '%' | '@' => 0.92,
            'A'..='Z' => 0.7,
            '0'..='9' | '$' | '_' | '+' | '=' | '<' | '>' | '–' | '≥' | '≤' => 0.58,
            _ => 0.56,
        })
        .sum();
    ems * px * 1.08
}

/// Shortens `text` with an ellipsis to at most `max_px` wide at `px`.
pub(crate) fn fit(text: &str, px: f64, max_px: f64) -> String {
    if width(text, px) <= max_px {
        return text.to_string();
    }
    let mut kept: String = text.to_string();
    while !kept.is_empty() && width(&kept, px) + width("…", px) > max_px {
        kept.pop();
    }
    format!("{kept}…")
}

/// Rows for labels centred at `x` (each `(centre, width)`), so that labels in one row keep
/// `gap` pixels apart: each label takes the first row where it fits, in the order given.
/// Returns each label's row and its centre, moved inside `[left, right]`.
pub(crate) fn rows(labels: &[(f64, f64)], left: f64, right: f64, gap: f64) -> Vec<(usize, f64)> {
    let mut taken: Vec<Vec<(f64, f64)>> = Vec::new();
    labels
        .iter()
        .map(|&(centre, width)| {
            let half = width / 2.0;
            let centre = centre.clamp(left + half, (right - half).max(left + half));
            let span = (centre - half, centre + half);
            let free = |row: &Vec<(f64, f64)>| {
                row.iter()
                    .all(|(a, b)| span.1 + gap <= *a || span.0 >= *b + gap)
            };
            let row = match taken.iter().position(free) {
                Some(row) => row,
                None => {
                    taken.push(Vec::new());
                    taken.len() - 1
                }
            };
            taken[row].push(span);
            (row, centre)
        })
        .collect()
}

/// A metric's name for people, e.g. `Daily cost` for `daily_cost_usd`.
pub(crate) fn metric_title(metric: Metric) -> &'static str {
    match metric {
        Metric::DailyCostUsd => "Daily cost",
        Metric::ComputeCostUsdPerDay => "Daily compute cost",
        Metric::EnergyCostUsdPerDay => "Daily energy cost",
        Metric::Gpus => "GPUs",
        Metric::EnergyKwhPerDay => "Energy per day",
        Metric::CostPerQueryUsd => "Cost per query",
        Metric::CostPerMillionTokensUsd => "Cost per million tokens",
        Metric::WhPerQuery => "Energy per query",
        Metric::CapexUsdPerDay => "Daily capital cost",
        Metric::OtherOpexUsdPerDay => "Other daily operating cost",
        Metric::TokensPerDay => "Tokens per day",
        Metric::GpuHoursPerDay => "GPU-hours per day",
        Metric::BusyGpuHoursPerDay => "Busy GPU-hours per day",
        Metric::KgCo2PerDay => "CO₂ per day",
        Metric::GCo2PerQuery => "CO₂ per query",
        Metric::WaterLPerDay => "Water per day",
        Metric::TrainingUsdPerDay => "Training cost per day",
        other => other.cost_item().map_or(other.name(), |item| item.title),
    }
}

/// The title of the metric named `name` (the name itself when it is not a metric).
pub(crate) fn title_of(name: &str) -> String {
    match Metric::from_name(name) {
        Some(metric) => metric_title(metric).to_string(),
        None => match name
            .strip_prefix("cost_")
            .and_then(|n| n.strip_suffix("_usd_per_day"))
        {
            Some(item) => format!("Daily cost of {item}"),
            None => name.to_string(),
        },
    }
}

/// The unit of the input named `name` (empty when it is not an input).
pub(crate) fn input_unit(name: &str) -> &'static str {
    Input::from_name(name).map_or("", |input| input.info().unit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_that_would_overlap_go_to_another_row() {
        let placed = rows(
            &[(100.0, 60.0), (120.0, 60.0), (300.0, 60.0)],
            0.0,
            400.0,
            4.0,
        );
        assert_eq!(placed[0].0, 0);
        assert_eq!(placed[1].0, 1);
        assert_eq!(placed[2].0, 0);
        // A label at the edge moves inside.
        assert_eq!(rows(&[(5.0, 40.0)], 0.0, 400.0, 4.0)[0].1, 20.0);
    }

    #[test]
    fn widths_grow_with_text_and_long_text_is_cut() {
        assert!(width("$4.071M", 14.0) > width("$4M", 14.0));
        let cut = fit("a_very_long_input_name_indeed", 14.0, 80.0);
        assert!(cut.ends_with('…') && width(&cut, 14.0) <= 80.0, "{cut}");
        assert_eq!(fit("short", 14.0, 80.0), "short");
    }
}
