#!/usr/bin/env bash
# Everything a fresh Debian 12 machine needs to run Normality: libtorch, jemalloc, ffmpeg, the npm packages,
# the native addon and the TypeScript build. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
[ -f /usr/include/torch/csrc/api/include/torch/torch.h ] || need+=(libtorch-dev)
[ -e /usr/lib/x86_64-linux-gnu/libjemalloc.so.2 ] || [ -e /usr/lib/aarch64-linux-gnu/libjemalloc.so.2 ] || need+=(libjemalloc2)
command -v ffmpeg >/dev/null || need+=(ffmpeg) # video files (.mp4, .avi) for the video models
if [ "${NORMALITY_REFERENCE:-0}" = 1 ]; then
  # PyTorch and scikit-learn for the fixture scripts and the side-by-side benchmarks.
  /usr/bin/python3 -c 'import torch, sklearn' 2>/dev/null || need+=(python3-torch python3-sklearn python3-numpy)
fi
for tool in g++ make python3; do command -v "$tool" >/dev/null || need+=("$tool"); done
if [ ${#need[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}"
fi

# --ignore-scripts: the package's own install step would build the addon, which the next line does once.
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then npm ci --no-audit --no-fund --ignore-scripts; fi
[ -f native/build/Release/normality.node ] && [ -z "${NORMALITY_REBUILD:-}" ] || npm run build:native
npm run build:ts
