//! Pinned draws (value stability), in the manner of rand_distr's `tests/value_stability.rs`.
//!
//! For fixed seeds, the first draws of every distribution kind, of truncated distributions (by
//! rejection and by the inverse CDF), of Monte Carlo, Latin hypercube, Sobol and rank-correlated
//! runs through the engine, and the first rows of two presets' `bands.csv`, are pinned to exact
//! values (f64 literals compared bit for bit).
//!
//! A failure means a draw changed. That must be a deliberate, documented change: the commit that
//! makes it says why the draws had to change and updates these values, and nothing else, in the
//! same commit. Users rely on a seed reproducing a run across versions.

mod common;

use common::*;
use costbands::dist::parse;
use costbands::engine::{self, Options};
use costbands::model::{Input, Metric};
use costbands::scenario::Scenario;
use costbands::settings::Method;
use rand::SeedableRng;

/// Asserts that `drawn` and `pinned` are the same doubles, bit for bit.
fn assert_bits(drawn: &[f64], pinned: &[f64], what: &str) {
    let bits = |xs: &[f64]| xs.iter().map(|x| x.to_bits()).collect::<Vec<u64>>();
    assert_eq!(
        bits(drawn),
        bits(pinned),
        "{what}: drew {drawn:?}, pinned {pinned:?}"
    );
}

/// The first five draws of a spec written as in a scenario file, from one fixed seed.
fn first_draws(text: &str) -> [f64; 5] {
    let table: toml::Table = toml::from_str(&format!("v = {text}")).unwrap();
    let dist = parse(&table["v"]).unwrap();
    let mut out = [0.0; 5];
    let mut rng = rand::rngs::Xoshiro256PlusPlus::seed_from_u64(0x5EED);
    dist.fill(&mut rng, &mut out);
    out
}

/// Every kind, including the log-space paths of tiny shapes (beta 0.001/0.002, gamma 0.001),
/// PERT with its mode at the minimum (an exponential variate inside) and truncations sampled
/// by rejection (normal on [0, 2], beta on [0.1, 0.5]) and by the inverse CDF (normal on
/// [2, 3], gamma on [6, ∞)).
const KINDS: &[(&str, [f64; 5])] = &[
    (r#"42"#, [42.0, 42.0, 42.0, 42.0, 42.0]),
    (
        r#""1000 to 3000""#,
        [
            2012.2771716463371,
            3158.6510923983146,
            961.044402466124,
            1544.9757675342194,
            1685.6009447912036,
        ],
    ),
    (
        r#"{ dist = "uniform", min = 1, max = 2 }"#,
        [
            1.557411617399957,
            1.9914971174342815,
            1.090912572834427,
            1.4373773421837306,
            1.4322910457022633,
        ],
    ),
    (
        r#"{ dist = "normal", mean = 1, sd = 2 }"#,
        [
            1.8980917588671202,
            4.598328878368281,
            -2.5276718614815366,
            0.3154879193645269,
            0.8371993396360682,
        ],
    ),
    (
        r#"{ dist = "lognormal", mu = 0, sigma = 1 }"#,
        [
            1.5668165402058203,
            6.044594727270471,
            0.1713861757896395,
            0.7101663502111751,
            0.9218245833637864,
        ],
    ),
    (
        r#"{ dist = "triangular", min = 0, mode = 1, max = 3 }"#,
        [
            1.3704202088881143,
            2.7741299147865934,
            0.5222429688404443,
            1.1626824044554473,
            1.154396108102711,
        ],
    ),
    (
        r#"{ dist = "pert", min = 0, mode = 1, max = 3 }"#,
        [
            2.1675345095393324,
            1.253484876464845,
            0.4835788039307537,
            2.417472868356623,
            0.40102238800059636,
        ],
    ),
    (
        r#"{ dist = "pert", min = 0, mode = 0, max = 1 }"#,
        [
            0.33250104437044486,
            0.307417761120688,
            0.032223412936365096,
            0.08505129429315196,
            0.37159614314556727,
        ],
    ),
    (
        r#"{ dist = "beta", alpha = 2, beta = 5 }"#,
        [
            0.5627982173855407,
            0.29026812213145226,
            0.10569846007574103,
            0.705747558733767,
            0.05324650083682047,
        ],
    ),
    (
        r#"{ dist = "beta", alpha = 0.5, beta = 0.7 }"#,
        [
            0.7772258117859436,
            0.053231320931236184,
            0.9996829344577175,
            0.02755885350921298,
            0.36474934405911374,
        ],
    ),
    (
        r#"{ dist = "beta", alpha = 0.001, beta = 0.002 }"#,
        [
            3.223330046831794e-74,
            0.0,
            1.0,
            2.5449099205018734e-239,
            1.0,
        ],
    ),
    (
        r#"{ dist = "gamma", shape = 0.5, scale = 2 }"#,
        [
            2.7271951197914315,
            0.4135632232309021,
            0.2848345753596979,
            4.0937564280999315,
            2.9870576933344744,
        ],
    ),
    (
        r#"{ dist = "gamma", shape = 1, scale = 3 }"#,
        [
            14.543622947229522,
            6.709958054087981,
            0.8174993871316665,
            5.9829770313186454,
            0.4622052751504111,
        ],
    ),
    (
        r#"{ dist = "gamma", shape = 3, scale = 1.5 }"#,
        [
            5.203834834512846,
            1.0483720241120011,
            3.803905383647104,
            3.064126699684454,
            2.5599350961555842,
        ],
    ),
    (
        r#"{ dist = "gamma", shape = 0.001, scale = 1e200 }"#,
        [
            5.2202280330945534e-54,
            4.333530225959285e-160,
            0.0,
            7.072709836159473e109,
            1.0357949162825446e179,
        ],
    ),
    (
        r#"{ dist = "loguniform", min = 1, max = 100 }"#,
        [
            13.026364754592889,
            96.15995133483928,
            1.519935454707857,
            7.494707436111714,
            7.321196971762017,
        ],
    ),
    (
        r#"{ dist = "discrete", values = [4, 8, 16], weights = [1, 2, 1] }"#,
        [8.0, 16.0, 4.0, 8.0, 8.0],
    ),
    (
        r#"{ dist = "normal", mean = 1, sd = 1, truncate = [0, 2] }"#,
        [
            1.4490458794335601,
            0.6577439596822634,
            0.9185996698180341,
            0.7175044868468,
            0.5835297887446099,
        ],
    ),
    (
        r#"{ dist = "beta", alpha = 2, beta = 5, truncate = [0.1, 0.5] }"#,
        [
            0.29026812213145226,
            0.10569846007574103,
            0.1614043546664468,
            0.3310331270114672,
            0.36563831323545465,
        ],
    ),
    (
        r#"{ dist = "normal", mean = 0, sd = 1, truncate = [2, 3] }"#,
        [
            2.296579207626754,
            2.9612708901187133,
            2.037408095872101,
            2.214705151735279,
            2.2115466538043687,
        ],
    ),
    (
        r#"{ dist = "gamma", shape = 2, scale = 1, truncate = [6, inf] }"#,
        [
            6.9412793388079175,
            11.333781890875642,
            6.1110543899104925,
            6.666035567925106,
            6.655684719384065,
        ],
    ),
];

#[test]
fn first_draws_of_every_distribution_kind_are_pinned() {
    for (text, pinned) in KINDS {
        assert_bits(&first_draws(text), pinned, text);
    }
}

/// The first three values of every uncertain input, and of the daily cost, of a 1,000-sample
/// run of `SMALL` (seed 7) by `method`, with `extra` appended to the scenario.
fn check_engine(method: Method, extra: &str, inputs: &[(Input, [f64; 3])], daily: [f64; 3]) {
    let scenario = Scenario::from_toml(&format!("{SMALL}{extra}"), "t.toml", "t", &[]).unwrap();
    let options = Options {
        seed: 7,
        method,
        keep_inputs: true,
        ..Options::default()
    };
    let simulation = engine::simulate_chunks(&scenario, &options, 0, 1000);
    let columns = simulation.inputs.as_ref().unwrap();
    for (input, pinned) in inputs {
        let column = &columns.iter().find(|(i, _)| i == input).unwrap().1;
        assert_bits(&column[..3], pinned, &format!("{method:?} {input:?}"));
    }
    let cost = simulation.metric(Metric::DailyCostUsd);
    assert_bits(&cost[..3], &daily, &format!("{method:?} daily_cost_usd"));
}

/// Iman–Conover rank correlation between utilization and MFU.
const CORRELATION: &str = "\n[[correlations]]\ninputs = [\"utilization\", \"mfu\"]\nrank = -0.4\n";

#[test]
fn monte_carlo_engine_draws_are_pinned() {
    check_engine(
        Method::Mc,
        "",
        &[
            (
                Input::QueriesPerDay,
                [72851941.58053355, 69833415.43707022, 48478008.01451489],
            ),
            (
                Input::OutputTokensPerQuery,
                [259.555585716202, 653.9205465341769, 385.9171269419401],
            ),
            (
                Input::ActiveParamsB,
                [91.22200247728387, 122.91738866865848, 174.93164834571132],
            ),
            (
                Input::Mfu,
                [0.2468319937417144, 0.2586269858576534, 0.2695928524350806],
            ),
            (
                Input::Utilization,
                [0.505389567429033, 0.4809529742895893, 0.457005681452073],
            ),
            (
                Input::GpuHourUsd,
                [2.2026276636140536, 2.285955245290396, 2.7759529157735585],
            ),
            (
                Input::Pue,
                [1.1845626411848662, 1.1711815569117563, 1.1374736332066502],
            ),
        ],
        [38644.62304994486, 87807.06785886755, 76252.1138136283],
    );
}

#[test]
fn latin_hypercube_draws_are_pinned() {
    check_engine(
        Method::Lhs,
        "",
        &[
            (
                Input::QueriesPerDay,
                [47352357.67846178, 59008415.05612178, 72270672.0493033],
            ),
            (
                Input::OutputTokensPerQuery,
                [189.0392321488146, 667.1281980466839, 324.092690352937],
            ),
            (
                Input::ActiveParamsB,
                [178.97364302350778, 111.44370061160689, 75.44877356006769],
            ),
            (
                Input::Mfu,
                [
                    0.29776820577944146,
                    0.33438730557387075,
                    0.42660775884183455,
                ],
            ),
            (
                Input::Utilization,
                [0.6182817448762795, 0.5236842150540804, 0.35238941480879726],
            ),
            (
                Input::GpuHourUsd,
                [2.835702627663614, 1.5562859552452903, 2.0787759529157737],
            ),
            (
                Input::Pue,
                [1.1102963803070356, 1.1846471676535464, 1.2096105936303057],
            ),
        ],
        [36938.59854496462, 33710.02841139564, 27852.388608607776],
    );
}

#[test]
fn sobol_draws_are_pinned() {
    check_engine(
        Method::Sobol,
        "",
        &[
            (
                Input::QueriesPerDay,
                [63046108.66913043, 127905154.3990386, 69801137.5978769],
            ),
            (
                Input::OutputTokensPerQuery,
                [449.4760538003234, 646.6190131268835, 797.9487492615295],
            ),
            (
                Input::ActiveParamsB,
                [124.67599159799784, 89.78210702591521, 108.37550765080994],
            ),
            (
                Input::Mfu,
                [
                    0.22488923679176112,
                    0.37627807413301295,
                    0.31685615529140276,
                ],
            ),
            (
                Input::Utilization,
                [0.49359491916185805, 0.566034997000061, 0.387743064490406],
            ),
            (
                Input::GpuHourUsd,
                [2.4429229926789713, 1.994441024094344, 2.7033363809520266],
            ),
            (
                Input::Pue,
                [1.2657395904931747, 1.1767285686592432, 1.1431758073776226],
            ),
        ],
        [75877.30573683238, 59859.631984222484, 105873.00642289156],
    );
}

#[test]
fn rank_correlated_draws_are_pinned() {
    check_engine(
        Method::Mc,
        CORRELATION,
        &[
            (
                Input::QueriesPerDay,
                [72851941.58053355, 69833415.43707022, 48478008.01451489],
            ),
            (
                Input::OutputTokensPerQuery,
                [259.555585716202, 653.9205465341769, 385.9171269419401],
            ),
            (
                Input::ActiveParamsB,
                [91.22200247728387, 122.91738866865848, 174.93164834571132],
            ),
            (
                Input::Mfu,
                [0.30424271967109157, 0.3208116878951389, 0.23406939253289055],
            ),
            (
                Input::Utilization,
                [0.34362423955948146, 0.49069534125258674, 0.5278912894623438],
            ),
            (
                Input::GpuHourUsd,
                [2.2026276636140536, 2.285955245290396, 2.7759529157735585],
            ),
            (
                Input::Pue,
                [1.1845626411848662, 1.1711815569117563, 1.1374736332066502],
            ),
        ],
        [46110.0615936842, 69608.71182594163, 75703.53745525687],
    );
}

/// The header and first five rows of `bands.csv` of `run PRESET -n 20000 --seed 7`.
fn check_bands(preset: &str, pinned: &[&str]) {
    let (dir, output) = costbands(&[
        "run", preset, "-n", "20000", "--seed", "7", "--out", "out", "-q",
    ]);
    assert_ok(&output);
    let bands = read(&dir.path().join("out").join("bands.csv"));
    let first: Vec<&str> = bands.lines().take(pinned.len()).collect();
    assert_eq!(first, pinned, "{preset}: bands.csv changed");
}

#[test]
fn first_rows_of_preset_bands_are_pinned() {
    check_bands(
        "chatgpt-class",
        &[
            "scenario,metric,unit,percentile,value,ci_low,ci_high",
            "chatgpt-class,daily_cost_usd,USD/day,1,686844.0348483918,655399.7577478914,713272.1860829522",
            "chatgpt-class,daily_cost_usd,USD/day,5,1194789.0502408838,1167418.5732011695,1224699.3347325553",
            "chatgpt-class,daily_cost_usd,USD/day,10,1614573.7703445219,1574853.1400711997,1651814.072142156",
            "chatgpt-class,daily_cost_usd,USD/day,25,2813212.021363618,2764890.847528578,2860628.7338699065",
            "chatgpt-class,daily_cost_usd,USD/day,50,5213160.80722945,5096006.8182003135,5312570.883195521",
        ],
    );
    check_bands(
        "epoch-2025-uncertain",
        &[
            "scenario,metric,unit,percentile,value,ci_low,ci_high",
            "epoch-2025-uncertain,daily_cost_usd,USD/day,1,91291.76837604475,86977.73927148667,95441.90903713832",
            "epoch-2025-uncertain,daily_cost_usd,USD/day,5,169483.43716926657,164595.5499220435,172568.1605946674",
            "epoch-2025-uncertain,daily_cost_usd,USD/day,10,231703.9160646107,226978.8760529026,235771.90790107203",
            "epoch-2025-uncertain,daily_cost_usd,USD/day,25,397819.4486938954,390761.43908582657,405184.77832972945",
            "epoch-2025-uncertain,daily_cost_usd,USD/day,50,706546.2741548142,696070.4631082964,716696.121418613",
        ],
    );
}
