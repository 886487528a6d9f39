//! Cost line items: a scenario's own uncertain cost lines (`[[costs]]`), each a rate in USD per
//! unit of a quantity the model computes in the same sample (GPU-years, servers, kWh, queries,
//! tokens, …), turned into USD per day and added to `daily_cost_usd`.
//!
//! An item is an input (its rate, named `costs.<name>`, drawn like every other input) and a
//! metric (`cost_<name>_usd_per_day`). Both refer to one interned [`CostItem`], so that an
//! [`Input`] or [`Metric`] stays a small `Copy` value that knows
//! its own name. Formulas: docs/MODEL.md, "Cost line items".

use super::inputs::{Domain, InputDefault, InputInfo};
use super::{Input, Metric};
use serde::Serialize;
use std::cmp::Ordering;
use std::sync::Mutex;

/// The most line items one scenario may have.
pub const MAX_COST_ITEMS: usize = 16;

/// Days per year when a yearly rate is spread over days (the same 365 as the capex annuity).
pub const DAYS_PER_YEAR: f64 = 365.0;

/// What one unit of an item's `usd` pays for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Per {
    /// USD per day, as is.
    Day,
    /// USD per year ÷ 365.
    Year,
    /// USD per query × `queries_per_day`.
    Query,
    /// USD per million tokens × `tokens_per_day` ÷ 10⁶.
    MillionTokens,
    /// USD per provisioned GPU-hour × `gpu_hours_per_day`.
    GpuHour,
    /// USD per GPU per year × GPUs ÷ 365.
    GpuYear,
    /// USD per server per year × servers (GPUs ÷ `gpus_per_server`) ÷ 365.
    ServerYear,
    /// USD per kWh of facility energy × `energy_kwh_per_day`.
    Kwh,
    /// A share of `compute_cost_usd_per_day` (0.1 = 10%).
    FractionOfCompute,
    /// A share of `capex_usd_per_day` (owned GPUs only; 0.1 = 10%).
    FractionOfCapex,
}

impl Per {
    /// Every unit, in the order the docs list them.
    pub const ALL: [Per; 10] = [
        Per::Day,
        Per::Year,
        Per::Query,
        Per::MillionTokens,
        Per::GpuHour,
        Per::GpuYear,
        Per::ServerYear,
        Per::Kwh,
        Per::FractionOfCompute,
        Per::FractionOfCapex,
    ];

    /// The name in scenario files, e.g. `gpu_year`.
    pub fn name(self) -> &'static str {
        match self {
            Per::Day => "day",
            Per::Year => "year",
            Per::Query => "query",
            Per::MillionTokens => "million_tokens",
            Per::GpuHour => "gpu_hour",
            Per::GpuYear => "gpu_year",
            Per::ServerYear => "server_year",
            Per::Kwh => "kwh",
            Per::FractionOfCompute => "fraction_of_compute",
            Per::FractionOfCapex => "fraction_of_capex",
        }
    }

    /// Looks a unit up by its file name.
    pub fn from_name(name: &str) -> Option<Per> {
        Per::ALL.into_iter().find(|per| per.name() == name)
    }

    /// The unit of the rate `usd`, e.g. `USD/GPU-year`.
    pub fn rate_unit(self) -> &'static str {
        match self {
            Per::Day => "USD/day",
            Per::Year => "USD/year",
            Per::Query => "USD/query",
            Per::MillionTokens => "USD/Mtok",
            Per::GpuHour => "USD/GPU-hour",
            Per::GpuYear => "USD/GPU-year",
            Per::ServerYear => "USD/server-year",
            Per::Kwh => "USD/kWh",
            Per::FractionOfCompute | Per::FractionOfCapex => "fraction",
        }
    }

    /// How the item's USD per day follows from its rate, e.g. `usd × GPUs ÷ 365`.
    pub fn formula(self) -> &'static str {
        match self {
            Per::Day => "usd",
            Per::Year => "usd ÷ 365",
            Per::Query => "usd × queries_per_day",
            Per::MillionTokens => "usd × tokens_per_day ÷ 1e6",
            Per::GpuHour => "usd × gpu_hours_per_day",
            Per::GpuYear => "usd × GPUs ÷ 365",
            Per::ServerYear => "usd × servers ÷ 365 (servers = GPUs ÷ gpus_per_server)",
            Per::Kwh => "usd × energy_kwh_per_day",
            Per::FractionOfCompute => "usd × compute_cost_usd_per_day",
            Per::FractionOfCapex => "usd × capex_usd_per_day",
        }
    }
}

/// The longest item name.
pub const MAX_ITEM_NAME_LEN: usize = 48;

/// The rule for item names, as error messages state it.
pub const ITEM_NAME_RULE: &str =
    "an item name is 1 to 48 lowercase ASCII letters, digits or '_', starting with a letter";

/// Whether `name` follows [`ITEM_NAME_RULE`].
pub fn is_valid_item_name(name: &str) -> bool {
    (1..=MAX_ITEM_NAME_LEN).contains(&name.len())
        && name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

/// The quantities of one sample an item's rate multiplies.
#[derive(Debug, Clone, Copy)]
pub(super) struct Quantities {
    pub(super) queries_per_day: f64,
    pub(super) tokens_per_day: f64,
    pub(super) gpus: f64,
    pub(super) gpus_per_server: f64,
    pub(super) gpu_hours_per_day: f64,
    pub(super) energy_kwh_per_day: f64,
    pub(super) compute_cost_usd_per_day: f64,
    pub(super) capex_usd_per_day: f64,
}

impl Quantities {
    /// USD per day of `rate` per unit of `per`.
    #[inline]
    pub(super) fn usd_per_day(&self, per: Per, rate: f64) -> f64 {
        match per {
            Per::Day => rate,
            Per::Year => rate / DAYS_PER_YEAR,
            Per::Query => rate * self.queries_per_day,
            Per::MillionTokens => rate * self.tokens_per_day / 1e6,
            Per::GpuHour => rate * self.gpu_hours_per_day,
            Per::GpuYear => rate * self.gpus / DAYS_PER_YEAR,
            Per::ServerYear => rate * (self.gpus / self.gpus_per_server) / DAYS_PER_YEAR,
            Per::Kwh => rate * self.energy_kwh_per_day,
            Per::FractionOfCompute => rate * self.compute_cost_usd_per_day,
            Per::FractionOfCapex => rate * self.capex_usd_per_day,
        }
    }
}

/// One cost line item: its name and what its rate pays for. Interned ([`CostItem::intern`]):
/// every item with the same name and unit is one `'static` value. Items compare by name, then
/// unit.
#[derive(Debug)]
pub struct CostItem {
    /// The item's name in the scenario file, e.g. `software_licences`.
    pub name: &'static str,
    /// What one unit of its `usd` pays for.
    pub per: Per,
    /// Its rate's input name: `costs.<name>`.
    pub input_name: &'static str,
    /// Its metric's name: `cost_<name>_usd_per_day`.
    pub metric_name: &'static str,
    /// Its metric's name for people: `Daily cost of <name>`.
    pub title: &'static str,
    /// Its rate's meaning, e.g. `line item software_licences: usd × GPUs ÷ 365`.
    pub meaning: &'static str,
    /// Its rate's facts as an input: name, unit, domain (≥ 0), no default.
    input_info: InputInfo,
}

impl CostItem {
    fn key(&self) -> (&str, Per) {
        (self.name, self.per)
    }

    /// Its rate's facts as an input.
    pub fn input_info(&'static self) -> &'static InputInfo {
        &self.input_info
    }
}

impl PartialEq for CostItem {
    fn eq(&self, other: &Self) -> bool {
        self.key() == other.key()
    }
}

impl Eq for CostItem {}

impl std::hash::Hash for CostItem {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.key().hash(state);
    }
}

impl PartialOrd for CostItem {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for CostItem {
    fn cmp(&self, other: &Self) -> Ordering {
        self.key().cmp(&other.key())
    }
}

/// Every item interned so far. Bounded by the distinct `(name, per)` pairs a process reads.
static INTERNED: Mutex<Vec<&'static CostItem>> = Mutex::new(Vec::new());

impl CostItem {
    /// The one `'static` item named `name` paying per `per`.
    pub fn intern(name: &str, per: Per) -> &'static CostItem {
        let mut interned = INTERNED.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(item) = interned.iter().find(|i| i.name == name && i.per == per) {
            return item;
        }
        let leak = |text: String| -> &'static str { Box::leak(text.into_boxed_str()) };
        let input_name = leak(format!("costs.{name}"));
        let meaning = leak(format!("line item {name}: {}", per.formula()));
        let item: &'static CostItem = Box::leak(Box::new(CostItem {
            name: leak(name.to_string()),
            per,
            input_name,
            metric_name: leak(format!("cost_{name}_usd_per_day")),
            title: leak(format!("Daily cost of {name}")),
            meaning,
            input_info: InputInfo {
                name: input_name,
                unit: per.rate_unit(),
                meaning,
                domain: Domain::NonNegative,
                default: InputDefault::Required,
            },
        }));
        interned.push(item);
        item
    }

    /// The random stream of the item's rate: keyed by its name (FNV-1a), so that adding,
    /// removing or reordering items leaves every other input's draws unchanged. Far above the
    /// built-in inputs' streams (their indices) and the engine's own (2³², 2⁴⁰ + …).
    pub fn stream(&self) -> u64 {
        const ITEM_STREAMS: u64 = 1 << 48;
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        for byte in self.name.bytes() {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
        ITEM_STREAMS | (hash & ((1 << 40) - 1))
    }
}

/// A scenario's line items, in the order of its file: at most [`MAX_COST_ITEMS`], names
/// unique. A fixed-size value, so that a [`Model`](super::Model) stays `Copy`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CostItems {
    items: [Option<&'static CostItem>; MAX_COST_ITEMS],
    len: usize,
}

impl CostItems {
    /// The items `items`, in order. Panics past [`MAX_COST_ITEMS`] (the scenario checks first).
    pub fn new(items: &[&'static CostItem]) -> CostItems {
        assert!(
            items.len() <= MAX_COST_ITEMS,
            "at most {MAX_COST_ITEMS} line items"
        );
        let mut all = CostItems::default();
        for (slot, item) in all.items.iter_mut().zip(items) {
            *slot = Some(item);
        }
        all.len = items.len();
        all
    }

    /// The items, in order.
    pub fn iter(&self) -> impl Iterator<Item = &'static CostItem> + '_ {
        self.items[..self.len].iter().flatten().copied()
    }

    /// Number of items.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Each item's rate as an input, in order.
    pub fn inputs(&self) -> impl Iterator<Item = Input> + '_ {
        self.iter()
            .enumerate()
            .map(|(k, item)| Input::item(k, item))
    }

    /// Each item's cost as a metric, in order.
    pub fn metrics(&self) -> impl Iterator<Item = Metric> + '_ {
        self.iter()
            .enumerate()
            .map(|(k, item)| Metric::item(k, item))
    }
}

impl Serialize for CostItems {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let mut seq = serializer.serialize_seq(Some(self.len))?;
        for item in self.iter() {
            seq.serialize_element(&(item.name, item.per))?;
        }
        seq.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interning_gives_one_value_per_name_and_unit() {
        let a = CostItem::intern("staff", Per::Day);
        let b = CostItem::intern("staff", Per::Day);
        let c = CostItem::intern("staff", Per::Year);
        assert!(std::ptr::eq(a, b));
        assert!(!std::ptr::eq(a, c));
        assert_eq!(a.input_name, "costs.staff");
        assert_eq!(a.metric_name, "cost_staff_usd_per_day");
    }

    #[test]
    fn every_unit_round_trips_by_name() {
        for per in Per::ALL {
            assert_eq!(Per::from_name(per.name()), Some(per));
        }
    }

    #[test]
    fn quantities_multiply_as_documented() {
        let q = Quantities {
            queries_per_day: 1e6,
            tokens_per_day: 2e9,
            gpus: 80.0,
            gpus_per_server: 8.0,
            gpu_hours_per_day: 1920.0,
            energy_kwh_per_day: 5000.0,
            compute_cost_usd_per_day: 4000.0,
            capex_usd_per_day: 3000.0,
        };
        let cases = [
            (Per::Day, 10.0, 10.0),
            (Per::Year, 365.0, 1.0),
            (Per::Query, 0.001, 1000.0),
            (Per::MillionTokens, 0.5, 1000.0),
            (Per::GpuHour, 0.5, 960.0),
            (Per::GpuYear, 3650.0, 800.0),
            (Per::ServerYear, 3650.0, 100.0),
            (Per::Kwh, 0.1, 500.0),
            (Per::FractionOfCompute, 0.25, 1000.0),
            (Per::FractionOfCapex, 0.1, 300.0),
        ];
        for (per, rate, expected) in cases {
            let got = q.usd_per_day(per, rate);
            assert!((got - expected).abs() <= 1e-12 * expected, "{per:?}: {got}");
        }
    }

    #[test]
    fn streams_are_above_every_builtin_and_engine_stream() {
        let stream = CostItem::intern("network", Per::ServerYear).stream();
        assert!(stream >= 1 << 48);
        assert_ne!(stream, CostItem::intern("storage", Per::Day).stream());
    }
}
