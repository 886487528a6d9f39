//! Rank correlations between inputs: parsed from `[[correlations]]` pairs or a
//! `[correlation]` matrix, validated, converted to the normal-score correlation that the
//! Iman–Conover method induces (`r = 2 sin(π ρ / 6)`, Pearson 1907 / Kruskal 1958), and, if
//! that matrix is not positive definite, repaired to the nearest correlation matrix (Higham
//! 2002) with a warning that lists requested and achievable values.

use super::ScenarioError;
use crate::model::Input;
use crate::stats::linalg::{self, Matrix};
use crate::stats::rank::{normal_to_rank, rank_to_normal};
use serde::{Deserialize, Serialize};

/// One `[[correlations]]` entry.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawPair {
    pub inputs: Vec<String>,
    pub rank: f64,
}

/// The `[correlation]` table: a full matrix over named inputs.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawMatrix {
    pub inputs: Vec<String>,
    pub matrix: Vec<Vec<f64>>,
}

/// Validated rank correlations over a group of uncertain inputs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Correlation {
    /// The correlated inputs, in stream order.
    pub inputs: Vec<Input>,
    /// Spearman correlations as requested.
    pub requested: Matrix,
    /// Spearman correlations the induced normal-score matrix corresponds to (equal to
    /// `requested` unless it had to be repaired).
    pub target: Matrix,
    /// Whether the requested matrix was repaired.
    pub repaired: bool,
    /// Lower-triangular `L` with `L Lᵀ` = the normal-score correlation to induce.
    #[serde(skip)]
    pub factor: Matrix,
}

type Usable<'a> = &'a dyn Fn(Input) -> Option<&'static str>;

/// Builds the correlation from pairs or a matrix. `problem(input)` says why an input cannot be
/// correlated (not read by the path, or a constant), if it cannot.
pub(super) fn resolve(
    pairs: &[RawPair],
    matrix: Option<&RawMatrix>,
    origin: &str,
    known: &[Input],
    problem: Usable<'_>,
) -> Result<Option<Correlation>, ScenarioError> {
    let (inputs, requested) = match (pairs.is_empty(), matrix) {
        (true, None) => return Ok(None),
        (false, Some(_)) => {
            return Err(ScenarioError::field(
                origin,
                "correlation",
                "give either [[correlations]] pairs or one [correlation] matrix, not both",
            ))
        }
        (false, None) => from_pairs(pairs, origin, known)?,
        (true, Some(raw)) => from_matrix(raw, origin, known)?,
    };
    for input in &inputs {
        if let Some(reason) = problem(*input) {
            return Err(ScenarioError::field(
                origin,
                "correlations",
                format!("{} cannot be correlated: {reason}", input.name()),
            ));
        }
    }
    Ok(Some(build(inputs, requested)))
}

fn input_named(
    name: &str,
    origin: &str,
    field: &str,
    known: &[Input],
) -> Result<Input, ScenarioError> {
    let found = known.iter().find(|input| input.name() == name).copied();
    found.ok_or_else(|| {
        let hint = crate::dist::suggest(name, known.iter().map(|i| i.name()));
        ScenarioError::field(origin, field, format!("unknown input \"{name}\"{hint}"))
    })
}

fn check_entry(value: f64, origin: &str, field: &str) -> Result<(), ScenarioError> {
    if (-1.0..=1.0).contains(&value) {
        Ok(())
    } else {
        Err(ScenarioError::field(
            origin,
            field,
            format!("rank correlation {value} is outside [-1, 1]"),
        ))
    }
}

fn from_pairs(
    pairs: &[RawPair],
    origin: &str,
    known: &[Input],
) -> Result<(Vec<Input>, Matrix), ScenarioError> {
    let mut named: Vec<(Input, Input, f64)> = Vec::new();
    for (index, pair) in pairs.iter().enumerate() {
        let field = format!("correlations[{index}]");
        let [a, b] = pair.inputs.as_slice() else {
            return Err(ScenarioError::field(
                origin,
                &field,
                "inputs must name exactly two inputs",
            ));
        };
        let (a, b) = (
            input_named(a, origin, &field, known)?,
            input_named(b, origin, &field, known)?,
        );
        if a == b {
            return Err(ScenarioError::field(
                origin,
                &field,
                "an input cannot be correlated with itself",
            ));
        }
        check_entry(pair.rank, origin, &field)?;
        if named
            .iter()
            .any(|(x, y, _)| (*x, *y) == (a, b) || (*x, *y) == (b, a))
        {
            return Err(ScenarioError::field(
                origin,
                &field,
                format!("{} and {} are paired twice", a.name(), b.name()),
            ));
        }
        named.push((a, b, pair.rank));
    }
    let mut inputs: Vec<Input> = named.iter().flat_map(|(a, b, _)| [*a, *b]).collect();
    inputs.sort_unstable();
    inputs.dedup();
    let mut matrix = linalg::identity(inputs.len());
    let at = |input: Input| inputs.iter().position(|i| *i == input).expect("listed");
    for (a, b, rho) in named {
        let (i, j) = (at(a), at(b));
        matrix[i][j] = rho;
        matrix[j][i] = rho;
    }
    Ok((inputs, matrix))
}

fn from_matrix(
    raw: &RawMatrix,
    origin: &str,
    known: &[Input],
) -> Result<(Vec<Input>, Matrix), ScenarioError> {
    let field = "correlation";
    let named: Vec<Input> = raw
        .inputs
        .iter()
        .map(|name| input_named(name, origin, field, known))
        .collect::<Result<_, _>>()?;
    let n = named.len();
    if n < 2 || raw.matrix.len() != n || raw.matrix.iter().any(|row| row.len() != n) {
        return Err(ScenarioError::field(
            origin,
            field,
            format!("matrix must be {n} × {n} to match the {n} inputs listed (at least 2)"),
        ));
    }
    for i in 0..n {
        if named[..i].contains(&named[i]) {
            return Err(ScenarioError::field(
                origin,
                field,
                format!("{} is listed twice", named[i].name()),
            ));
        }
        for j in 0..n {
            check_entry(raw.matrix[i][j], origin, field)?;
            if (raw.matrix[i][j] - raw.matrix[j][i]).abs() > 1e-12 {
                return Err(ScenarioError::field(origin, field, format!(
                    "matrix is not symmetric: row {i}, column {j} is {} but row {j}, column {i} is {}",
                    raw.matrix[i][j], raw.matrix[j][i]
                )));
            }
        }
        if raw.matrix[i][i] != 1.0 {
            return Err(ScenarioError::field(
                origin,
                field,
                format!("diagonal entry {i} must be 1"),
            ));
        }
    }
    // Reorder to stream order.
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by_key(|i| named[*i]);
    let inputs = order.iter().map(|i| named[*i]).collect();
    let matrix = order
        .iter()
        .map(|i| order.iter().map(|j| raw.matrix[*i][*j]).collect())
        .collect();
    Ok((inputs, matrix))
}

fn build(inputs: Vec<Input>, requested: Matrix) -> Correlation {
    let normal: Matrix = requested
        .iter()
        .map(|row| row.iter().map(|rho| rank_to_normal(*rho)).collect())
        .collect();
    let (normal, repaired) = match linalg::cholesky(&normal) {
        Some(_) => (normal, false),
        None => (linalg::nearest_correlation(&normal, 1e-6), true),
    };
    let factor = linalg::cholesky(&normal).expect("repaired matrix is positive definite");
    let target = normal
        .iter()
        .map(|row| row.iter().map(|r| normal_to_rank(*r)).collect())
        .collect();
    Correlation {
        inputs,
        requested,
        target,
        repaired,
        factor,
    }
}

impl Correlation {
    /// A warning listing requested vs achievable values, when the matrix was repaired.
    pub fn repair_warning(&self) -> Option<String> {
        if !self.repaired {
            return None;
        }
        let mut changes = Vec::new();
        for i in 0..self.inputs.len() {
            for j in i + 1..self.inputs.len() {
                changes.push(format!(
                    "{}~{} requested {:+.3}, using {:+.3}",
                    self.inputs[i].name(),
                    self.inputs[j].name(),
                    self.requested[i][j],
                    self.target[i][j]
                ));
            }
        }
        Some(format!(
            "the requested rank correlations cannot hold together (their normal-score matrix is not \
             positive definite); using the nearest valid matrix (Higham 2002): {}",
            changes.join("; ")
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rank_and_normal_scales_round_trip() {
        for rho in [-1.0, -0.4, 0.0, 0.3, 0.9, 1.0] {
            assert!((normal_to_rank(rank_to_normal(rho)) - rho).abs() < 1e-12);
        }
        assert!((rank_to_normal(0.5) - 0.517_638).abs() < 1e-6);
    }

    #[test]
    fn inconsistent_pairs_are_repaired_with_a_warning() {
        let pair = |a: &str, b: &str, rank| RawPair {
            inputs: vec![a.into(), b.into()],
            rank,
        };
        let pairs = [
            pair("mfu", "utilization", 0.9),
            pair("mfu", "gpu_hour_usd", 0.9),
            pair("utilization", "gpu_hour_usd", -0.9),
        ];
        let c = resolve(&pairs, None, "x.toml", &Input::ALL, &|_| None)
            .unwrap()
            .unwrap();
        assert!(c.repaired);
        let warning = c.repair_warning().unwrap();
        assert!(
            warning.contains("mfu~utilization requested +0.900"),
            "{warning}"
        );
        let l = &c.factor;
        assert!(l.iter().all(|row| row.iter().all(|x| x.is_finite())));
    }

    #[test]
    fn matrix_errors_are_specific() {
        let raw = |matrix: Vec<Vec<f64>>| RawMatrix {
            inputs: vec!["mfu".into(), "utilization".into()],
            matrix,
        };
        let error = |m| {
            resolve(&[], Some(&raw(m)), "x.toml", &Input::ALL, &|_| None)
                .unwrap_err()
                .to_string()
        };
        assert!(error(vec![vec![1.0, 0.2], vec![0.3, 1.0]]).contains("not symmetric"));
        assert!(error(vec![vec![1.0, 1.2], vec![1.2, 1.0]]).contains("outside [-1, 1]"));
        assert!(error(vec![vec![1.0, 0.2]]).contains("2 × 2"));
        assert!(error(vec![vec![0.9, 0.2], vec![0.2, 1.0]]).contains("diagonal"));
    }
}
