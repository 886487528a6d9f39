//! A scenario's cost line items, `[[costs]]`: each a name, a unit (`per`) and a rate (`usd`,
//! any distribution form an input takes), validated into interned [`CostItem`]s whose rates
//! are inputs `costs.<name>` of the scenario.

use super::{InputOrigin, Override, ScenarioError};
use crate::dist::{self, Dist};
#[cfg(test)]
use crate::model::costs::MAX_ITEM_NAME_LEN;
use crate::model::costs::{is_valid_item_name, ITEM_NAME_RULE};
use crate::model::{CostItem, Input, Metric, Per, Price, MAX_COST_ITEMS, N_INPUTS};
use crate::number::Quantity;
use serde::Deserialize;

/// One `[[costs]]` table as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawCost {
    pub name: String,
    pub per: String,
    pub usd: toml::Value,
    pub note: Option<String>,
}

/// The validated items, with each rate's distribution and where it came from, in file order.
pub(super) struct Items {
    pub items: Vec<&'static CostItem>,
    pub rates: Vec<(Dist, InputOrigin)>,
    pub notes: Vec<(String, String)>,
    pub warnings: Vec<String>,
}

/// Applies `--set costs.<name>=VALUE`: the item's `usd` becomes `VALUE`. Returns whether
/// `set` named an item at all (`costs.` prefix).
pub(super) fn apply_override(
    costs: &mut [RawCost],
    set: &Override,
    from_set: &mut Vec<String>,
) -> Result<bool, ScenarioError> {
    let Some(name) = set.name.strip_prefix("costs.") else {
        return Ok(false);
    };
    let Some(item) = costs.iter_mut().find(|item| item.name == name) else {
        let hint = dist::suggest(name, costs.iter().map(|item| item.name.as_str()));
        let known = match costs.is_empty() {
            true => "the scenario has no [[costs]] items".to_string(),
            false => format!(
                "its items: {}",
                costs
                    .iter()
                    .map(|item| item.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        return Err(ScenarioError::field(
            "--set",
            &set.name,
            format!("no line item \"{name}\"{hint}; {known} (--set changes an item's usd; add new items in the file)"),
        ));
    };
    item.usd = set.value.clone();
    from_set.push(set.name.clone());
    Ok(true)
}

/// Validates `costs`: names (rule, unique), units, rates (inside `[0, ∞)`), at most
/// [`MAX_COST_ITEMS`], `fraction_of_capex` only with owned GPUs (`price`; `owned_in_file`:
/// the file owns them, whatever `--set` chose).
pub(super) fn resolve(
    costs: &[RawCost],
    (price, owned_in_file): (Price, bool),
    origin: &str,
    from_set: &[String],
) -> Result<Items, ScenarioError> {
    if costs.len() > MAX_COST_ITEMS {
        return Err(ScenarioError::field(
            origin,
            "costs",
            format!(
                "{} line items; a scenario may have at most {MAX_COST_ITEMS}: merge the smallest into one item",
                costs.len()
            ),
        ));
    }
    let mut items = Items {
        items: Vec::new(),
        rates: Vec::new(),
        notes: Vec::new(),
        warnings: Vec::new(),
    };
    // `--set gpu_hour_usd` turning an owned fleet into a rented one leaves a share of capex at
    // 0 with a warning; a file that rents and asks for one is refused.
    let rented_by_set = price == Price::Rental && owned_in_file;
    for (index, raw) in costs.iter().enumerate() {
        let field = format!("costs[{index}]");
        let checked_price = if rented_by_set { Price::Owned } else { price };
        let item = item(raw, &items.items, checked_price, origin, &field)?;
        if rented_by_set && item.per == Per::FractionOfCapex {
            items.warnings.push(format!(
                "{} is a share of capex, which is 0 now that --set gpu_hour_usd rents the GPUs: \
                 it adds nothing (per = \"fraction_of_compute\" would charge a share of the rent)",
                item.input_name
            ));
        }
        let input_name = item.input_name;
        let set = from_set.iter().any(|name| name == input_name);
        let (where_, from) = match set {
            true => ("--set", InputOrigin::Set),
            false => (origin, InputOrigin::File),
        };
        let quantity = match item.per {
            Per::FractionOfCompute | Per::FractionOfCapex => Quantity::Fraction,
            _ => Quantity::Usd,
        };
        let dist = dist::parse_as(&raw.usd, quantity).map_err(|error| {
            ScenarioError::field(
                where_,
                format!("{field}.usd ({input_name})"),
                error.to_string(),
            )
        })?;
        items.rates.push((dist, from));
        if let Some(note) = raw.note.as_ref().filter(|note| !note.trim().is_empty()) {
            items
                .notes
                .push((input_name.to_string(), note.trim().to_string()));
        }
        items.items.push(item);
    }
    Ok(items)
}

/// One item's name and unit, checked against the rule and the items before it.
fn item(
    raw: &RawCost,
    before: &[&'static CostItem],
    price: Price,
    origin: &str,
    field: &str,
) -> Result<&'static CostItem, ScenarioError> {
    let name = raw.name.as_str();
    if !is_valid_item_name(name) {
        return Err(ScenarioError::field(
            origin,
            format!("{field}.name"),
            format!(
                "\"{}\" is not a valid item name: {ITEM_NAME_RULE}, e.g. \"software_licences\"",
                name.escape_debug()
            ),
        ));
    }
    if before.iter().any(|item| item.name == name) {
        return Err(ScenarioError::field(
            origin,
            format!("{field}.name"),
            format!("a second item named \"{name}\": item names must be unique (each is its own metric, cost_{name}_usd_per_day)"),
        ));
    }
    let Some(per) = Per::from_name(&raw.per) else {
        let names = Per::ALL.map(Per::name);
        let hint = dist::suggest(&raw.per, names.iter().copied());
        return Err(ScenarioError::field(
            origin,
            format!("{field}.per"),
            format!(
                "unknown unit \"{}\"{hint}; per is one of {}",
                raw.per.escape_debug(),
                names.join(", ")
            ),
        ));
    };
    if per == Per::FractionOfCapex && price == Price::Rental {
        return Err(ScenarioError::field(
            origin,
            format!("{field}.per"),
            format!("fraction_of_capex needs owned GPUs (inputs.gpu_capex_usd), but this scenario rents them (gpu_hour_usd): use fraction_of_compute for \"{name}\""),
        ));
    }
    let item = CostItem::intern(name, per);
    if Metric::from_name(item.metric_name).is_some() || Input::from_name(item.input_name).is_some()
    {
        return Err(ScenarioError::field(
            origin,
            format!("{field}.name"),
            format!("\"{name}\" clashes with a built-in name; choose another"),
        ));
    }
    Ok(item)
}

/// The row slot of the `k`-th item's rate.
pub(super) fn slot(k: usize) -> usize {
    N_INPUTS + k
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn item_names_follow_the_rule() {
        for good in ["staff", "software_licences", "ib2", "a"] {
            assert!(is_valid_item_name(good), "{good}");
        }
        let long = "a".repeat(MAX_ITEM_NAME_LEN + 1);
        for bad in [
            "",
            "Staff",
            "2nd",
            "_x",
            "a-b",
            "a.b",
            "a b",
            "é",
            long.as_str(),
        ] {
            assert!(!is_valid_item_name(bad), "{bad}");
        }
    }
}
