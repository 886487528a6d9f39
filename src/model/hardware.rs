//! The hardware catalog: GPU specifications with a source for every value.
//!
//! The catalog is `distributions/hardware.toml`, embedded in the binary at build time so the
//! tool works from any directory; edit the file and rebuild to change it.

use serde::Deserialize;
use std::collections::BTreeMap;

/// The catalog file's text, as built into the binary.
pub const CATALOG_TOML: &str = include_str!("../../distributions/hardware.toml");

/// One GPU model.
#[derive(Debug, Clone, PartialEq, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Gpu {
    /// Marketing name, e.g. "NVIDIA H100 SXM5 80GB".
    pub name: String,
    /// Dense BF16 peak, TFLOP/s.
    pub peak_tflops: f64,
    /// Dense FP8 peak, TFLOP/s, where the GPU has FP8.
    pub fp8_tflops: Option<f64>,
    /// HBM capacity, GB.
    pub memory_gb: f64,
    /// Memory bandwidth, TB/s (HBM; GDDR on the L40S).
    pub hbm_tb_s: f64,
    /// Board power (TDP), W.
    pub tdp_w: f64,
    /// Rated power per GPU including its share of the server, W.
    pub gpu_power_w: f64,
    /// Cloud rental price range, USD per GPU-hour.
    pub rental_usd_per_hour: [f64; 2],
    /// When the rental prices were seen.
    pub rental_as_of: String,
    /// Purchase price range, USD per GPU.
    pub purchase_usd: Option<[f64; 2]>,
    /// When the purchase prices were seen.
    pub purchase_as_of: Option<String>,
    /// A source for each value, keyed by field name.
    pub sources: BTreeMap<String, String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CatalogFile {
    gpus: BTreeMap<String, Gpu>,
}

/// GPUs by id (e.g. `h100-sxm`), sorted by id.
#[derive(Debug, Clone)]
pub struct Catalog {
    gpus: BTreeMap<String, Gpu>,
}

impl Catalog {
    /// Parses a catalog from TOML text.
    pub fn parse(text: &str) -> Result<Catalog, toml::de::Error> {
        let file: CatalogFile = toml::from_str(text)?;
        Ok(Catalog { gpus: file.gpus })
    }

    /// The catalog built into the binary.
    pub fn builtin() -> Catalog {
        Catalog::parse(CATALOG_TOML).expect("distributions/hardware.toml is checked by tests")
    }

    /// Looks a GPU up by id.
    pub fn get(&self, id: &str) -> Option<&Gpu> {
        self.gpus.get(id)
    }

    /// Every GPU, by id.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Gpu)> {
        self.gpus.iter().map(|(id, gpu)| (id.as_str(), gpu))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_catalog_parses_and_has_the_required_gpus() {
        let catalog = Catalog::builtin();
        for id in ["a100-sxm4-80gb", "h100-sxm", "h200-sxm", "b200", "mi300x"] {
            assert!(catalog.get(id).is_some(), "missing {id}");
        }
    }

    #[test]
    fn catalog_has_the_inference_gpus_with_memory_and_bandwidth() {
        let catalog = Catalog::builtin();
        for (id, memory_gb, hbm_tb_s) in [
            ("a100-sxm4-40gb", 40.0, 1.555),
            ("h100-pcie", 80.0, 2.0),
            ("l40s", 48.0, 0.864),
        ] {
            let gpu = catalog.get(id).unwrap_or_else(|| panic!("missing {id}"));
            assert_eq!((gpu.memory_gb, gpu.hbm_tb_s), (memory_gb, hbm_tb_s), "{id}");
        }
        // Bandwidth per unit of compute sets where decode turns compute-bound: every GPU's
        // ratio is plausible (between 100 and 1,000 FLOP per byte at BF16).
        for (id, gpu) in catalog.iter() {
            let flop_per_byte = gpu.peak_tflops / gpu.hbm_tb_s;
            assert!(
                (100.0..1000.0).contains(&flop_per_byte),
                "{id}: {flop_per_byte}"
            );
        }
    }

    #[test]
    fn every_value_has_a_source_and_is_sane() {
        for (id, gpu) in Catalog::builtin().iter() {
            let mut keys = vec![
                "peak_tflops",
                "memory_gb",
                "hbm_tb_s",
                "tdp_w",
                "gpu_power_w",
                "rental_usd_per_hour",
            ];
            if gpu.fp8_tflops.is_some() {
                keys.push("fp8_tflops");
            }
            assert!(gpu.purchase_usd.is_some(), "{id}: no purchase price range");
            assert!(
                gpu.purchase_as_of.is_some(),
                "{id}: purchase prices carry no date"
            );
            if gpu.purchase_usd.is_some() {
                keys.push("purchase_usd");
            }
            for key in keys {
                let source = gpu.sources.get(key).map(String::as_str).unwrap_or("");
                assert!(source.len() > 10, "{id}: no source for {key}");
            }
            assert!(
                gpu.peak_tflops > 100.0 && gpu.gpu_power_w >= gpu.tdp_w,
                "{id}"
            );
            assert!(
                gpu.rental_usd_per_hour[0] <= gpu.rental_usd_per_hour[1],
                "{id}"
            );
        }
    }
}
