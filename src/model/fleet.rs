//! The fleet: GPUs sized from busy time by the model's [`Provisioning`] rule, rounded up to
//! whole replicas and servers, recording the steps that explain it.

use super::eval::Breakdown;
use super::steps::Recorder;
use super::{Input, Metric, Model, Path, Provisioning, Row, SECONDS_PER_DAY};
use std::borrow::Cow;

impl Model {
    /// Fills the fleet's quantities of `b` (`gpus_exact`, `gpus`, provisioned and busy
    /// GPU-hours) from its busy time and GPUs per replica, on a checked row.
    #[inline]
    pub(super) fn fleet<R: Recorder>(&self, y: &Row, b: &mut Breakdown, steps: &mut R) {
        let v = |input: Input| y[input.index()];
        let busy = b.busy_gpu_seconds_per_day;
        b.gpus_exact = match self.provisioning {
            Provisioning::Average => {
                let gpus = busy / (SECONDS_PER_DAY * v(Input::Utilization));
                steps.step("GPUs, exact", "busy GPU-s ÷ (86 400 × utilization)", gpus);
                gpus
            }
            Provisioning::Peak => {
                steps.aside(
                    "peak-hour busy GPUs",
                    "busy GPU-s ÷ 86 400 × peak_to_average",
                    || busy / SECONDS_PER_DAY * v(Input::PeakToAverage),
                );
                let gpus = busy * v(Input::PeakToAverage)
                    / (SECONDS_PER_DAY * v(Input::TargetUtilization));
                steps.step(
                    "GPUs, exact",
                    "peak-hour busy GPUs ÷ target_utilization",
                    gpus,
                );
                gpus
            }
            Provisioning::Given { .. } => {
                let gpus = v(Input::FleetGpus);
                steps.step("GPUs (given)", "fleet_gpus", gpus);
                gpus
            }
        };
        b.gpus = self.whole_gpus(
            b.gpus_exact,
            b.gpus_per_replica,
            v(Input::GpusPerServer),
            steps,
        );
        b.gpu_hours_per_day = b.gpus * 24.0;
        steps.metric(
            &[Metric::GpuHoursPerDay],
            "gpu_hours_per_day",
            "GPUs × 24 h (provisioned)",
            b.gpu_hours_per_day,
        );
        b.busy_gpu_hours_per_day = busy / 3600.0;
        steps.metric(
            &[Metric::BusyGpuHoursPerDay],
            "busy_gpu_hours_per_day",
            "busy GPU-s ÷ 3600",
            b.busy_gpu_hours_per_day,
        );
        let (busy_hours, hours) = (b.busy_gpu_hours_per_day, b.gpu_hours_per_day);
        steps.aside(
            "average utilization",
            "busy ÷ provisioned GPU-hours",
            || busy_hours / hours,
        );
    }

    /// `gpus_exact` rounded up to whole servers of `per_server` GPUs; on the roofline path
    /// (unless the fleet is given) first to whole replicas of `per_replica` GPUs.
    #[inline]
    fn whole_gpus<R: Recorder>(
        &self,
        gpus_exact: f64,
        per_replica: f64,
        per_server: f64,
        steps: &mut R,
    ) -> f64 {
        match self.path {
            Path::Roofline { .. } if !matches!(self.provisioning, Provisioning::Given { .. }) => {
                let replicas = (gpus_exact / per_replica).ceil();
                let gpus = (replicas * per_replica / per_server).ceil() * per_server;
                steps.record("GPUs", &[Metric::Gpus], || {
                    let formula = format!(
                        "whole replicas of {per_replica}, rounded up to whole servers of {per_server}"
                    );
                    (Cow::Owned(formula), gpus)
                });
                gpus
            }
            _ => {
                let gpus = (gpus_exact / per_server).ceil() * per_server;
                steps.record("GPUs", &[Metric::Gpus], || {
                    let formula = format!("rounded up to whole servers of {per_server}");
                    (Cow::Owned(formula), gpus)
                });
                gpus
            }
        }
    }
}
