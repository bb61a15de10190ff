#!/usr/bin/env bash
# The workflow on a real SLURM cluster: a throw-away single-node cluster (munged, slurmctld
# and slurmd on this machine) runs the smoke config with `snakemake --profile
# profiles/slurm`, and its tables must be byte-identical to a local run of the same config.
#
#   sudo bash tests/cluster/slurm_smoke.sh          (run as root: apt-get, /etc/slurm, daemons)
#
# Installs Debian's slurmctld, slurmd, slurm-client and munge where missing, and the
# workflow's `slurm` extra into the virtual environment FTML_VENV (default .venv, created if
# missing). /etc/slurm/slurm.conf is replaced for the run and restored afterwards (the SLURM
# plugin strips SLURM_* variables from jobs, so SLURM_CONF cannot point elsewhere); state,
# spool, munge key and logs live in a temporary directory. Every daemon started here is
# stopped by its PID on exit, success or failure. Any failure exits non-zero, with the
# daemons' logs; nothing is skipped.
set -Eeuo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
VENV=${FTML_VENV:-$REPO/.venv}
CONFIG=${FTML_CLUSTER_CONFIG:-$REPO/tests/smoke/config.yaml}
TIMEOUT=${FTML_CLUSTER_TIMEOUT:-900}   # seconds for the SLURM run; a hang fails, never waits
SLURM_CONF=/etc/slurm/slurm.conf
STARTED=$(date +%s)

say() { echo "slurm_smoke: $*"; }
die() { echo "slurm_smoke: FAILED: $*" >&2; exit 1; }

[[ $(id -u) -eq 0 ]] || die "must run as root (apt-get, $SLURM_CONF, daemons)"

WORK=$(mktemp -d /tmp/ftml-slurm-smoke.XXXXXX)
chmod 755 "$WORK"
mkdir -p "$WORK"/{state,spool,log,munge,backup}
chmod 700 "$WORK/munge"
PIDS=()            # daemons started here, stopped in reverse order
SLURM_RUN_PID=''   # the two Snakemake runs, while they run
LOCAL_RUN_PID=''
CONF_WRITTEN=0     # whether $SLURM_CONF is ours and must be restored
ETC_CREATED=0      # whether this script created /etc/slurm
POLICY_CREATED=0   # whether this script created /usr/sbin/policy-rc.d
STEPDS_BEFORE=" $(pgrep -x slurmstepd | tr '\n' ' ' || true) "

print_logs() {  # the daemons' logs and output, the runs' output, the SLURM jobs' logs
    local log
    for log in "$WORK"/log/*; do
        [[ -s $log ]] || continue
        echo "----- $(basename "$log") (last 60 lines) -----"
        tail -n 60 "$log"
    done
    while read -r log; do
        echo "----- SLURM job log ${log#"$WORK"/slurm/} (last 40 lines) -----"
        tail -n 40 "$log"
    done < <(find "$WORK/slurm/.snakemake/slurm_logs" -name '*.log' 2>/dev/null)
}

stop_pid() {  # stop_pid PID NAME: SIGTERM, up to 20 s, then SIGKILL; fails if it survives
    local pid=$1 name=$2
    kill -0 "$pid" 2>/dev/null || return 0
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 200); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
    echo "slurm_smoke: $name ($pid) still running 20 s after SIGTERM; sending SIGKILL" >&2
    kill -KILL "$pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
    echo "slurm_smoke: $name ($pid) survived SIGKILL" >&2
    return 1
}

cleanup() {
    local rc=$? ok=1 entry pid name
    trap - EXIT INT TERM
    set +e
    if [[ $rc -ne 0 ]]; then
        echo "slurm_smoke: FAILED (exit $rc); daemon and job logs follow" >&2
        print_logs >&2
    fi
    # Snakemake first, then the jobs, then the daemons. (Background jobs of a script ignore
    # SIGINT, so SIGTERM: Snakemake waits for its running jobs, and is killed after 20 s.)
    [[ -n $SLURM_RUN_PID ]] && { stop_pid "$SLURM_RUN_PID" "snakemake (SLURM run)" || ok=0; }
    [[ -n $LOCAL_RUN_PID ]] && { stop_pid "$LOCAL_RUN_PID" "snakemake (local run)" || ok=0; }
    if [[ ${#PIDS[@]} -gt 0 ]] && command -v scancel >/dev/null; then
        # jobs first, so that no slurmstepd outlives slurmd
        timeout 10 scancel --user=root >/dev/null 2>&1
        for _ in $(seq 30); do
            [[ -z $(timeout 5 squeue --noheader 2>/dev/null) ]] && break  # none left to end
            sleep 1
        done
    fi
    for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do
        entry=${PIDS[i]}; pid=${entry%%:*}; name=${entry#*:}
        stop_pid "$pid" "$name" || ok=0
    done
    # A job step's slurmstepd is not slurmd's child once started: stop those of this run.
    for pid in $(pgrep -x slurmstepd); do
        [[ $STEPDS_BEFORE == *" $pid "* ]] && continue
        stop_pid "$pid" slurmstepd || ok=0
    done
    if [[ $CONF_WRITTEN -eq 1 ]]; then
        if [[ -e $WORK/backup/slurm.conf ]]; then
            mv -f "$WORK/backup/slurm.conf" "$SLURM_CONF" || ok=0
        else
            rm -f "$SLURM_CONF" || ok=0
        fi
    fi
    [[ $ETC_CREATED -eq 1 ]] && rmdir /etc/slurm 2>/dev/null
    [[ $POLICY_CREATED -eq 1 ]] && rm -f /usr/sbin/policy-rc.d
    if [[ $ok -eq 0 ]]; then
        echo "slurm_smoke: FAILED to stop a daemon or restore $SLURM_CONF; kept $WORK" >&2
        rc=1
    elif [[ $rc -eq 0 ]]; then
        rm -rf "$WORK"
    else
        echo "slurm_smoke: kept $WORK for inspection" >&2
    fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- packages ------------------------------------------------------------------------------
missing=()
for command in munged slurmctld slurmd sbatch squeue scontrol scancel; do
    command -v "$command" >/dev/null || missing+=("$command")
done
if [[ ${#missing[@]} -gt 0 ]]; then
    say "installing slurmctld slurmd slurm-client munge (missing: ${missing[*]})"
    # Packages must not start their services: the daemons here are this script's own.
    if [[ ! -e /usr/sbin/policy-rc.d ]]; then
        printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
        chmod 755 /usr/sbin/policy-rc.d
        POLICY_CREATED=1
    fi
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >"$WORK/log/apt.log" 2>&1 \
        || { cat "$WORK/log/apt.log" >&2; die "apt-get update failed"; }
    apt-get install -y -qq --no-install-recommends slurmctld slurmd slurm-client munge \
        >>"$WORK/log/apt.log" 2>&1 \
        || { cat "$WORK/log/apt.log" >&2; die "apt-get install failed"; }
    for command in "${missing[@]}"; do
        command -v "$command" >/dev/null || die "$command still missing after apt-get install"
    done
fi

if [[ ! -x $VENV/bin/python ]]; then
    say "creating $VENV"
    python3 -m venv "$VENV" || die "python3 -m venv $VENV failed"
fi
say "installing the workflow's slurm extra into $VENV"
"$VENV/bin/pip" install -q -e "$REPO[slurm]" >"$WORK/log/pip.log" 2>&1 \
    || { cat "$WORK/log/pip.log" >&2; die "pip install -e '$REPO[slurm]' failed"; }

# --- the cluster -----------------------------------------------------------------------------
HOST=$(hostname -s)
read -r CTLD_PORT SLURMD_PORT < <("$VENV/bin/python" - <<'EOF'
import socket
sockets = [socket.socket() for _ in range(2)]
for s in sockets:
    s.bind(("127.0.0.1", 0))
print(*(s.getsockname()[1] for s in sockets))
EOF
)
# This machine's CPUs and memory, as slurmd itself sees them.
NODE=$(slurmd -C 2>/dev/null | head -n 1)
[[ $NODE == NodeName=* ]] || die "slurmd -C did not describe this node: '$NODE'"

head -c 1024 /dev/urandom >"$WORK/munge/munge.key"
chmod 400 "$WORK/munge/munge.key"
MUNGE_SOCKET=$WORK/munge/munge.socket

if [[ -e $SLURM_CONF || -L $SLURM_CONF ]]; then
    mv "$SLURM_CONF" "$WORK/backup/slurm.conf"
    say "moved the existing $SLURM_CONF aside; it is restored on exit"
fi
if [[ ! -d /etc/slurm ]]; then
    mkdir /etc/slurm
    ETC_CREATED=1
fi
CONF_WRITTEN=1
cat >"$SLURM_CONF" <<EOF
# Written by ftml-repro's tests/cluster/slurm_smoke.sh for one run; restored on exit.
ClusterName=ftmlsmoke
SlurmctldHost=$HOST(127.0.0.1)
SlurmctldPort=$CTLD_PORT
SlurmdPort=$SLURMD_PORT
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$MUNGE_SOCKET
CredType=cred/munge
StateSaveLocation=$WORK/state
SlurmdSpoolDir=$WORK/spool
SlurmctldPidFile=$WORK/slurmctld.pid
SlurmdPidFile=$WORK/slurmd.pid
SlurmctldLogFile=$WORK/log/slurmctld.log
SlurmdLogFile=$WORK/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MpiDefault=none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
ReturnToService=2
# The plugin's squeue status check needs finished jobs kept for a while (at least 3 times
# its first status-check delay; it falls back to sacct otherwise, and sacct without slurmdbd
# loses track of jobs).
MinJobAge=300
$NODE NodeAddr=127.0.0.1 State=UNKNOWN
PartitionName=smoke Nodes=$HOST Default=YES MaxTime=INFINITE State=UP
EOF

start() {  # start NAME COMMAND...: run a daemon in the foreground, in the background
    local name=$1; shift
    "$@" >>"$WORK/log/$name.out" 2>&1 &
    PIDS+=("$!:$name")
    say "started $name (pid $!)"
}
start munged munged --foreground --force --socket="$MUNGE_SOCKET" \
    --key-file="$WORK/munge/munge.key" --pid-file="$WORK/munge/munged.pid" \
    --seed-file="$WORK/munge/munge.seed" --log-file="$WORK/log/munged.log"
for _ in $(seq 100); do [[ -S $MUNGE_SOCKET ]] && break; sleep 0.1; done
[[ -S $MUNGE_SOCKET ]] || die "munged did not create its socket"
start slurmctld slurmctld -D -c
start slurmd slurmd -D -N "$HOST"
for _ in $(seq 60); do
    state=$(timeout 5 sinfo --noheader --format=%t 2>/dev/null || true)
    [[ $state == idle ]] && break
    sleep 1
done
[[ $state == idle ]] || die "the node was not idle within 60 s (state: '${state:-none}')"
say "cluster up: $(sinfo --noheader --format='%P %D node(s), %c CPUs, %m MB')"

# --- the runs --------------------------------------------------------------------------------
copy_workflow() {
    mkdir -p "$1"
    cp -r "$REPO"/{Snakefile,workflow,config,profiles,environment.yml} "$1"/
    cp "$CONFIG" "$1/config/config.yaml"
}
copy_workflow "$WORK/local"
copy_workflow "$WORK/slurm"

# The local reference run shares the machine with the cluster run: it fills the time the
# cluster run spends waiting between status checks.
say "local run: snakemake --cores 2 (in the background)"
cd "$WORK/local"
"$VENV/bin/snakemake" --cores 2 >"$WORK/log/local-run.out" 2>&1 &
LOCAL_RUN_PID=$!
say "SLURM run: snakemake --profile profiles/slurm"
cd "$WORK/slurm"
"$VENV/bin/snakemake" --profile profiles/slurm --slurm-no-account --slurm-status-command squeue \
    >"$WORK/log/slurm-run.out" 2>&1 &
SLURM_RUN_PID=$!
run_start=$SECONDS
while kill -0 "$SLURM_RUN_PID" 2>/dev/null && ((SECONDS - run_start < TIMEOUT)); do
    sleep 1
done
if kill -0 "$SLURM_RUN_PID" 2>/dev/null; then
    stop_pid "$SLURM_RUN_PID" "snakemake (SLURM run)" || true
    die "the SLURM run did not finish within $TIMEOUT s"
fi
slurm_seconds=$((SECONDS - run_start))
slurm_rc=0; wait "$SLURM_RUN_PID" || slurm_rc=$?
SLURM_RUN_PID=''
local_rc=0; wait "$LOCAL_RUN_PID" || local_rc=$?
LOCAL_RUN_PID=''
local_seconds=$(($(stat -c %Y "$WORK/log/local-run.out") - $(date +%s) + SECONDS - run_start))
[[ $local_rc -eq 0 ]] || die "the local run failed (exit $local_rc)"
[[ $slurm_rc -eq 0 ]] || die "the SLURM run failed (exit $slurm_rc)"
submitted=$(grep -c "submitted with SLURM jobid" "$WORK/log/slurm-run.out" || true)
[[ $submitted -gt 0 ]] || die "the SLURM run finished without submitting any SLURM job"
say "local run finished in $local_seconds s"
say "SLURM run finished in ${slurm_seconds} s, with $submitted SLURM jobs"

# --- the comparison --------------------------------------------------------------------------
cd "$WORK"
tables() { (cd "$1" && ls results/tables/*.csv results/verdicts.csv); }
[[ $(tables local) == "$(tables slurm)" ]] \
    || die "the runs made different tables:"$'\n'"$(diff <(tables local) <(tables slurm))"
count=0
while read -r table; do
    cmp "local/$table" "slurm/$table" || die "$table differs between the two runs"
    count=$((count + 1))
done < <(tables local)
say "$count tables byte-identical between the local and the SLURM run"
say "passed in $(($(date +%s) - STARTED)) s"
