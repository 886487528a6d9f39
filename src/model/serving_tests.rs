//! The roofline path, peak provisioning, owning, carbon and water, against hand arithmetic.

use super::*;

const H100_TB_S: f64 = 3.35;
const H100_TFLOPS: f64 = 989.4;

/// A Llama-3-70B-shaped dense model at bf16 on H100s: 80 layers, 8 KV heads of 128.
fn llama70b(batch: f64, context: f64) -> Row {
    let mut x = [f64::NAN; crate::model::ROW_LEN];
    for (input, value) in [
        (Input::QueriesPerDay, 1e6),
        (Input::InputTokensPerQuery, 1000.0),
        (Input::OutputTokensPerQuery, 500.0),
        (Input::TotalParamsB, 70.0),
        (Input::BytesPerParam, 2.0),
        (Input::Layers, 80.0),
        (Input::KvHeads, 8.0),
        (Input::HeadDim, 128.0),
        (Input::ContextTokens, context),
        (Input::BatchSize, batch),
        (Input::HbmTbS, H100_TB_S),
        (Input::GpuMemoryGb, 80.0),
        (Input::PeakTflops, H100_TFLOPS),
        (Input::Mbu, 0.7),
        (Input::Mfu, 0.5),
        (Input::PrefillMfu, 0.5),
        (Input::Utilization, 1.0),
        (Input::GpusPerServer, 8.0),
        (Input::GpuHourUsd, 2.0),
        (Input::GpuPowerW, 1275.0),
        (Input::PowerDrawFraction, 0.7),
        (Input::Pue, 1.2),
        (Input::ElectricityUsdPerKwh, 0.08),
        (Input::OtherOpexUsdPerDay, 0.0),
        (Input::GridKgCo2PerKwh, 0.0),
        (Input::WueLPerKwh, 0.0),
        (Input::GpusPerReplica, 2.0),
    ] {
        x[input.index()] = value;
    }
    x
}

const DENSE_GIVEN: Path = Path::Roofline {
    moe: false,
    kv_given: false,
    replica_given: true,
};

fn model(path: Path) -> Model {
    Model {
        path,
        provisioning: Provisioning::Average,
        price: Price::Rental,
        on_infeasible: OnInfeasible::Reject,
        training: Training::None,
        include_training: false,
        items: Default::default(),
    }
}

fn close(actual: f64, expected: f64, rel: f64) -> bool {
    ((actual - expected) / expected).abs() <= rel
}

#[test]
fn batch_one_decode_is_bandwidth_times_mbu_over_weight_bytes() {
    // 70B at bf16 = 140 GB of weights; 2 H100s stream 2 × 3.35 TB/s × 0.7 = 4.69 TB/s.
    let x = llama70b(1.0, 1.0);
    let r = model(DENSE_GIVEN).roofline(&x).unwrap();
    assert_eq!(r.weight_bytes, 140e9);
    assert_eq!(r.kv_bytes_per_token, 2.0 * 80.0 * 8.0 * 128.0 * 2.0);
    assert!(r.memory_bound());
    let weights_only = 2.0 * H100_TB_S * 1e12 * 0.7 / 140e9;
    assert!(close(weights_only, 33.5, 1e-12));
    // One token of context adds 327,680 bytes to 140 GB: 2 parts in a million.
    assert!(close(r.tokens_per_s_per_replica, weights_only, 3e-6));
    assert!(close(r.tokens_per_s_per_replica, 33.5, 1e-5));
}

#[test]
fn kv_cache_reads_slow_batch_one_decode() {
    // 4,000 tokens of context at 327,680 bytes each: 1.31 GB read per step besides weights.
    let r = model(DENSE_GIVEN).roofline(&llama70b(1.0, 4000.0)).unwrap();
    let bytes = 140e9 + 4000.0 * 327_680.0;
    assert!(close(
        r.step_s,
        bytes / (2.0 * H100_TB_S * 1e12 * 0.7),
        1e-12
    ));
}

#[test]
fn large_batches_become_compute_bound() {
    let r = model(DENSE_GIVEN).roofline(&llama70b(1024.0, 1.0)).unwrap();
    assert!(!r.memory_bound());
    // Compute-bound: tokens/s = achieved FLOP/s ÷ FLOP per token.
    let compute = 2.0 * H100_TFLOPS * 1e12 * 0.5 / (2.0 * 70e9);
    assert!(close(r.tokens_per_s_per_replica, compute, 1e-12));
    // Throughput grows with batch while memory-bound, then stays flat.
    let small = model(DENSE_GIVEN).roofline(&llama70b(8.0, 1.0)).unwrap();
    assert!(small.memory_bound());
    assert!(small.tokens_per_s_per_replica < r.tokens_per_s_per_replica);
}

#[test]
fn crossover_batch_matches_the_arithmetic_intensity() {
    // With (almost) no KV cache the crossover is where the model's arithmetic intensity,
    // 2 × active × batch FLOP per (active × bytes_per_param) bytes, meets the hardware's
    // achieved FLOP per byte: batch* = bytes_per_param ÷ 2 × (peak × mfu) ÷ (bandwidth × mbu).
    let x = llama70b(1.0, 1e-9);
    let r = model(DENSE_GIVEN).roofline(&x).unwrap();
    let machine = (H100_TFLOPS * 0.5) / (H100_TB_S * 0.7);
    let expected = 2.0 / 2.0 * machine;
    assert!(
        close(crossover_batch(&r), expected, 1e-9),
        "{}",
        crossover_batch(&r)
    );
    let below = model(DENSE_GIVEN)
        .roofline(&llama70b(expected.floor(), 1e-9))
        .unwrap();
    let above = model(DENSE_GIVEN)
        .roofline(&llama70b(expected.ceil(), 1e-9))
        .unwrap();
    assert!(below.memory_bound() && !above.memory_bound());
    // At 8-bit weights the same hardware turns compute-bound at half the batch.
    let mut fp8 = x;
    fp8[Input::BytesPerParam.index()] = 1.0;
    let r8 = model(DENSE_GIVEN).roofline(&fp8).unwrap();
    assert!(close(crossover_batch(&r8), expected / 2.0, 1e-6));
    // With a KV cache, the two step times are equal at the crossover.
    let mut kv = llama70b(1.0, 2000.0);
    let b = crossover_batch(&model(DENSE_GIVEN).roofline(&kv).unwrap());
    kv[Input::BatchSize.index()] = b;
    let at = model(DENSE_GIVEN).roofline(&kv).unwrap();
    assert!(close(at.step_memory_s, at.step_compute_s, 1e-9));
}

#[test]
fn mixture_of_experts_reads_only_active_weights_at_small_batch() {
    let path = Path::Roofline {
        moe: true,
        kv_given: true,
        replica_given: true,
    };
    let mut x = llama70b(1.0, 1.0);
    x[Input::TotalParamsB.index()] = 400.0;
    x[Input::ActiveParamsB.index()] = 100.0;
    x[Input::KvBytesPerToken.index()] = 1.0;
    x[Input::GpusPerReplica.index()] = 8.0;
    let r = model(path).roofline(&x).unwrap();
    assert_eq!(r.weight_bytes, 800e9);
    assert_eq!(r.weight_bytes_read, 200e9);
    x[Input::BatchSize.index()] = 16.0;
    let r = model(path).roofline(&x).unwrap();
    assert_eq!(r.weight_bytes_read, 800e9);
    // More active than total parameters is impossible.
    x[Input::ActiveParamsB.index()] = 500.0;
    let e = model(path).evaluate(&x);
    assert_eq!(e.status, Feasibility::Rejected);
}

#[test]
fn replica_is_the_fewest_gpus_a_power_of_two_that_hold_weights_and_kv() {
    let path = Path::Roofline {
        moe: false,
        kv_given: false,
        replica_given: false,
    };
    // 140 GB of weights + 16 × 2,000 × 327,680 B = 10.5 GB: 150.5 GB fits in 2 × 80 GB.
    let r = model(path).roofline(&llama70b(16.0, 2000.0)).unwrap();
    assert_eq!(r.gpus_per_replica, 2.0);
    // 64 sequences: 182 GB needs 3 GPUs' memory, so 4 (tensor parallelism of 3 is not used).
    let r = model(path).roofline(&llama70b(64.0, 2000.0)).unwrap();
    assert_eq!(r.gpus_per_replica, 4.0);
    assert_eq!(r.status, Feasibility::Feasible);
}

#[test]
fn samples_that_do_not_fit_are_rejected_or_clamped() {
    // 2 H100s hold 160 GB: 140 GB of weights leave room for 30 sequences of 2,000 tokens.
    let x = llama70b(64.0, 2000.0);
    let e = model(DENSE_GIVEN).evaluate(&x);
    assert_eq!(e.status, Feasibility::Rejected);
    assert!(e.outputs.iter().all(|v| v.is_nan()));
    let clamp = Model {
        on_infeasible: OnInfeasible::Clamp,
        ..model(DENSE_GIVEN)
    };
    let r = clamp.roofline(&x).unwrap();
    assert_eq!(r.status, Feasibility::Clamped);
    assert_eq!(r.batch, (20e9 / (2000.0 * 327_680.0_f64)).floor());
    assert!(r.memory_needed_bytes <= r.replica_memory_bytes);
    let e = clamp.evaluate(&x);
    assert_eq!(e.status, Feasibility::Clamped);
    assert!(e.outputs.iter().all(|v| v.is_finite()));
    // Weights alone overflow one GPU: nothing to clamp to.
    let mut one = x;
    one[Input::GpusPerReplica.index()] = 1.0;
    assert_eq!(clamp.evaluate(&one).status, Feasibility::Rejected);
}

#[test]
fn fractions_outside_zero_one_are_rejected_or_clamped() {
    let mut x = llama70b(1.0, 1.0);
    x[Input::Mbu.index()] = 1.3;
    assert_eq!(
        model(DENSE_GIVEN).evaluate(&x).status,
        Feasibility::Rejected
    );
    let clamp = Model {
        on_infeasible: OnInfeasible::Clamp,
        ..model(DENSE_GIVEN)
    };
    let r = clamp.roofline(&x).unwrap();
    assert_eq!(r.status, Feasibility::Clamped);
    assert!(close(r.replica_bytes_per_s, 2.0 * H100_TB_S * 1e12, 1e-12));
    x[Input::Mbu.index()] = 0.0;
    assert_eq!(clamp.evaluate(&x).status, Feasibility::Rejected);
}

#[test]
fn roofline_busy_time_and_fleet_in_whole_replicas() {
    let mut x = llama70b(32.0, 1500.0);
    x[Input::GpusPerServer.index()] = 1.0;
    x[Input::GpusPerReplica.index()] = 4.0;
    let m = model(DENSE_GIVEN);
    let r = m.roofline(&x).unwrap();
    let b = m.breakdown(&x);
    let per_query =
        500.0 * 4.0 * r.step_s / 32.0 + 1000.0 * 2.0 * 70e9 / (H100_TFLOPS * 1e12 * 0.5);
    assert!(close(b.busy_gpu_seconds_per_day, 1e6 * per_query, 1e-12));
    assert_eq!(b.gpus % 4.0, 0.0);
    assert!(b.gpus >= b.gpus_exact && b.gpus < b.gpus_exact + 4.0);
}

fn flops_row() -> Row {
    let mut x = [f64::NAN; crate::model::ROW_LEN];
    for (input, value) in [
        (Input::QueriesPerDay, 195e6),
        (Input::InputTokensPerQuery, 0.0),
        (Input::OutputTokensPerQuery, 2000.0),
        (Input::ActiveParamsB, 175.0),
        (Input::PeakTflops, 312.0),
        (Input::Mfu, 0.35),
        (Input::PrefillMfu, 0.35),
        (Input::Utilization, 0.5),
        (Input::GpusPerServer, 8.0),
        (Input::GpuHourUsd, 1.0),
        (Input::GpuPowerW, 812.5),
        (Input::PowerDrawFraction, 0.7),
        (Input::Pue, 1.2),
        (Input::ElectricityUsdPerKwh, 0.08),
        (Input::PeakToAverage, 1.5),
        (Input::TargetUtilization, 0.75),
        (Input::GpuCapexUsd, 50_000.0),
        (Input::AmortizationYears, 5.0),
        (Input::CostOfCapital, 0.0),
        (Input::OtherOpexUsdPerDay, 1000.0),
        (Input::GridKgCo2PerKwh, 0.4),
        (Input::WueLPerKwh, 0.3),
    ] {
        x[input.index()] = value;
    }
    x
}

#[test]
fn peak_provisioning_sizes_the_fleet_for_the_busiest_hour() {
    let x = flops_row();
    let average = Model::average_rental(Path::Flops).breakdown(&x);
    let peak = Model {
        provisioning: Provisioning::Peak,
        ..Model::average_rental(Path::Flops)
    }
    .breakdown(&x);
    assert_eq!(
        average.busy_gpu_seconds_per_day,
        peak.busy_gpu_seconds_per_day
    );
    // 1.25e9 busy GPU-s × 1.5 ÷ (86 400 × 0.75) = 28,935.2 GPUs, the same as at 50% average.
    assert!(close(
        peak.gpus_exact,
        1.25e9 * 1.5 / (86_400.0 * 0.75),
        1e-12
    ));
    assert_eq!(peak.gpus, 28_936.0);
    assert!(close(peak.busy_gpu_hours_per_day, 1.25e9 / 3600.0, 1e-12));
    assert_eq!(peak.gpu_hours_per_day, 28_936.0 * 24.0);
}

#[test]
fn owning_pays_an_annuity_and_other_costs_add_up() {
    let mut x = flops_row();
    let owned = Model {
        price: Price::Owned,
        ..Model::average_rental(Path::Flops)
    };
    // Straight line: $50,000 over 5 years = $27.40 per GPU-day ($1.14 per GPU-hour).
    assert!(close(
        cost::capex_usd_per_gpu_day(&x, &mut ()),
        50_000.0 / 5.0 / 365.0,
        1e-12
    ));
    x[Input::CostOfCapital.index()] = 0.08;
    // Annuity at 8%: 50,000 × 0.08 ÷ (1 − 1.08^−5) = $12,522.82 per year.
    assert!(close(
        cost::capex_usd_per_gpu_day(&x, &mut ()) * 365.0,
        12_522.82,
        1e-6
    ));
    let b = owned.breakdown(&x);
    assert_eq!(b.capex_usd_per_day, b.compute_cost_usd_per_day);
    assert!(close(
        b.capex_usd_per_day,
        28_936.0 * 12_522.82 / 365.0,
        1e-6
    ));
    assert_eq!(
        b.daily_cost_usd,
        b.capex_usd_per_day + b.energy_cost_usd_per_day + 1000.0
    );
    let rental = Model::average_rental(Path::Flops).breakdown(&x);
    assert_eq!(rental.capex_usd_per_day, 0.0);
    assert_eq!(rental.compute_cost_usd_per_day, 28_936.0 * 24.0);
}

#[test]
fn carbon_and_water_follow_energy() {
    let x = flops_row();
    let e = Model::average_rental(Path::Flops).evaluate(&x);
    let kwh = e.outputs[Metric::EnergyKwhPerDay.index()];
    assert!(close(
        kwh,
        28_936.0 * 812.5 * 0.7 * 1.2 * 24.0 / 1000.0,
        1e-12
    ));
    assert!(close(
        e.outputs[Metric::KgCo2PerDay.index()],
        kwh * 0.4,
        1e-12
    ));
    assert!(close(
        e.outputs[Metric::GCo2PerQuery.index()],
        kwh * 0.4 * 1000.0 / 195e6,
        1e-12
    ));
    // Water usage effectiveness is per kWh of IT energy, i.e. before PUE.
    assert!(close(
        e.outputs[Metric::WaterLPerDay.index()],
        kwh / 1.2 * 0.3,
        1e-12
    ));
    assert_eq!(e.outputs[Metric::TokensPerDay.index()], 195e6 * 2000.0);
    assert_eq!(e.outputs[Metric::OtherOpexUsdPerDay.index()], 1000.0);
}

#[test]
fn model_inputs_follow_provisioning_and_price() {
    let peak_owned = Model {
        provisioning: Provisioning::Peak,
        price: Price::Owned,
        ..Model::average_rental(Path::Flops)
    };
    let inputs = peak_owned.inputs();
    assert!(inputs.windows(2).all(|w| w[0] < w[1]));
    for input in [
        Input::PeakToAverage,
        Input::TargetUtilization,
        Input::GpuCapexUsd,
        Input::AmortizationYears,
        Input::CostOfCapital,
        Input::GridKgCo2PerKwh,
    ] {
        assert!(inputs.contains(&input), "{input:?}");
    }
    assert!(!inputs.contains(&Input::Utilization) && !inputs.contains(&Input::GpuHourUsd));
    let roofline = model(Path::Roofline {
        moe: false,
        kv_given: false,
        replica_given: false,
    })
    .inputs();
    assert!(roofline.contains(&Input::Layers) && !roofline.contains(&Input::KvBytesPerToken));
    assert!(!roofline.contains(&Input::ActiveParamsB));
}

#[test]
fn derived_metrics_equal_the_evaluated_ones_bit_for_bit() {
    for (price, grid, wue, electricity) in [
        (Price::Rental, 0.366, 0.0, 0.0),
        (Price::Owned, 0.0, 0.3, 0.08),
        (Price::Rental, 0.45, 0.49, 0.08),
    ] {
        let mut x = flops_row();
        x[Input::GridKgCo2PerKwh.index()] = grid;
        x[Input::WueLPerKwh.index()] = wue;
        x[Input::ElectricityUsdPerKwh.index()] = electricity;
        let m = Model {
            price,
            ..Model::average_rental(Path::Flops)
        };
        let out = m.evaluate(&x).outputs;
        let derived = m.derived_metrics(|input| Some(x[input.index()]));
        let mut count = 0;
        for (index, how) in derived.iter().enumerate() {
            if let Some(how) = how {
                assert!(derived[(how.base()).index()].is_none());
                let value = how.value(out[(how.base()).index()]);
                assert_eq!(
                    value.to_bits(),
                    out[index].to_bits(),
                    "{:?}",
                    Metric::ALL[index]
                );
                count += 1;
            }
        }
        assert!(count >= 5, "{count}");
    }
    // Uncertain inputs leave their metrics stored.
    let derived = Model::average_rental(Path::Flops).derived_metrics(|_| None);
    assert!(derived[Metric::KgCo2PerDay.index()].is_none());
    assert!(derived[Metric::WaterLPerDay.index()].is_none());
    assert!(derived[Metric::GpuHoursPerDay.index()].is_some());
}
