#!/usr/bin/env bash
# A sharded run on a real Slurm cluster: a one-node cluster on this machine (munged, slurmctld
# and slurmd with a minimal slurm.conf written here, on ports of their own), an array job of
# `costbands run --shard auto` tasks and a merge job that waits for them (--dependency=afterok),
# then summary.csv, bands.csv and exceedance.csv of the merge compared byte for byte with the
# one-process `run --stream`. Installs Debian's slurm-wlm and munge when absent. Stops the
# daemons it started and removes its folder, whatever happens.
#
#   tests/slurm.sh [COSTBANDS]     (default: target/release/costbands, built when missing)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
bin=${1:-$root/target/release/costbands}
[ -x "$bin" ] || cargo build --release --locked --quiet
shards=3
samples=300007
seed=17

sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null ||
  ! command -v munged >/dev/null; then
  $sudo apt-get update
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y slurm-wlm munge
fi

work=$(mktemp -d /tmp/costbands-slurm.XXXXXX)
chmod 755 "$work"
pids=()
cleanup() {
  status=$?
  for pid in "${pids[@]}"; do
    $sudo kill "$pid" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do
    while $sudo kill -0 "$pid" 2>/dev/null; do sleep 0.2; done
  done
  if [ "$status" -ne 0 ]; then
    for log in "$work"/*.log "$work"/*.out; do
      [ -f "$log" ] && { echo "== $log"; tail -n 20 "$log"; } >&2
    done
  fi
  $sudo rm -rf "$work"
}
trap cleanup EXIT

# munge: a key and a socket of this cluster's own.
$sudo mkdir -p "$work/munge"
$sudo dd if=/dev/urandom of="$work/munge/munge.key" bs=1024 count=1 status=none
$sudo chmod 700 "$work/munge"
$sudo chmod 400 "$work/munge/munge.key"
socket="$work/munge/munge.sock"
$sudo munged --foreground --force --key-file="$work/munge/munge.key" --socket="$socket" \
  --pid-file="$work/munge/munged.pid" --log-file="$work/munged.log" \
  --seed-file="$work/munge/munge.seed" >"$work/munged.out" 2>&1 &
pids+=($!)
for _ in $(seq 50); do [ -S "$socket" ] && break; sleep 0.1; done
$sudo chmod 711 "$work/munge"

host=$(hostname -s)
cpus=$(nproc)
mkdir -p "$work/state" "$work/spool" "$work/out"
export SLURM_CONF="$work/slurm.conf"
cat >"$SLURM_CONF" <<EOF
ClusterName=costbands
SlurmctldHost=$host(127.0.0.1)
SlurmUser=$(id -un)
SlurmctldPort=16917
SlurmdPort=16918
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$socket
StateSaveLocation=$work/state
SlurmdSpoolDir=$work/spool
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd.pid
SlurmctldLogFile=$work/slurmctld.log
SlurmdLogFile=$work/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
MpiDefault=none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
JobCompType=jobcomp/none
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus State=UNKNOWN
PartitionName=costbands Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF

$sudo env SLURM_CONF="$SLURM_CONF" slurmctld -D -i >"$work/slurmctld.out" 2>&1 &
pids+=($!)
$sudo env SLURM_CONF="$SLURM_CONF" slurmd -D -N "$host" >"$work/slurmd.out" 2>&1 &
pids+=($!)
for _ in $(seq 100); do
  sinfo -h -o '%T' 2>/dev/null | grep -qE '^(idle|mixed|allocated)' && break
  sleep 0.2
done
sinfo

# The array job: one `run --shard auto` per task; the merge job once all have succeeded.
array=$(sbatch --parsable --array=0-$((shards - 1)) --cpus-per-task=1 \
  --output="$work/slurm-%A_%a.out" --chdir="$work/out" \
  --wrap="'$bin' run chatgpt-class semianalysis-2023-uncertain -n $samples --seed $seed \
--exceed daily_cost_usd=5e6 --shard auto --out part\$SLURM_ARRAY_TASK_ID --quiet --threads 1")
parts=$(for k in $(seq 0 $((shards - 1))); do printf 'part%s ' "$k"; done)
merge=$(sbatch --parsable --dependency=afterok:"$array" --output="$work/slurm-merge.out" \
  --chdir="$work/out" --wrap="'$bin' merge $parts --out merged --quiet --threads 1")
echo "array job $array ($shards shards), merge job $merge"

# Wait for the merge job to leave the queue (at most 5 minutes).
for _ in $(seq 1500); do
  state=$(scontrol show job "$merge" 2>/dev/null | grep -o 'JobState=[A-Z_]*' | cut -d= -f2)
  case "$state" in
  COMPLETED) break ;;
  FAILED | CANCELLED | TIMEOUT | NODE_FAIL | OUT_OF_MEMORY | "")
    echo "merge job $merge ended $state" >&2
    scontrol show job "$array" >&2 || true
    exit 1
    ;;
  esac
  sleep 0.2
done
[ "$state" = COMPLETED ] || { echo "merge job $merge did not finish: $state" >&2; exit 1; }

(cd "$work/out" && "$bin" run chatgpt-class semianalysis-2023-uncertain -n $samples \
  --seed $seed --exceed daily_cost_usd=5e6 --stream --out one --quiet)
for file in summary.csv bands.csv exceedance.csv semianalysis-2023-uncertain/summary.csv; do
  cmp "$work/out/one/$file" "$work/out/merged/$file"
done
echo "slurm: $shards shards merged by a dependent job are byte-identical to the one-process run"
