"""Shared by the PyTorch sides of the benchmarks: precision modes and timing, as the TypeScript sides do them."""
import argparse
import contextlib
import json
import resource
import statistics
import time

import torch


def set_mode(mode, device):
    """fp32, tf32 (TF32 matmuls and convolutions) or bf16 (see amp); cuDNN autotuning on CUDA."""
    torch.backends.cuda.matmul.allow_tf32 = mode == "tf32"
    torch.backends.cudnn.allow_tf32 = mode == "tf32"
    torch.backends.cudnn.benchmark = device.startswith("cuda")


def amp(device, mode):
    """bf16: float32 weights, forward passes under bfloat16 autocast."""
    return torch.autocast(device.split(":")[0], dtype=torch.bfloat16) if mode == "bf16" else contextlib.nullcontext()


def sync(device):
    if device.startswith("cuda"):
        torch.cuda.synchronize()


def timed(fn, device, repeats, warmup):
    """The median seconds of `repeats` calls after `warmup` untimed ones, each waited for on the device."""
    for _ in range(warmup):
        fn()
    sync(device)
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        sync(device)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def peak_rss_mb():
    """This process's peak resident memory so far, in MB (Linux reports ru_maxrss in KB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def report(results):
    """The side's result: one JSON line, with its peak memory, as the driver reads it."""
    results["peak_rss_mb"] = peak_rss_mb()
    print(json.dumps(results))


def parse_args(add_own):
    """The options every PyTorch side takes (device, size, modes, repeats, threads) and the bench's own
    (`add_own(parser)`); applies --threads and seeds the generator, as the TypeScript sides do."""
    p = argparse.ArgumentParser()
    p.add_argument("--device", default="cpu")
    p.add_argument("--size", type=int, default=256)
    p.add_argument("--modes", default="fp32")
    p.add_argument("--repeats", type=int, default=10)
    p.add_argument("--threads", type=int, default=0)
    add_own(p)
    a = p.parse_args()
    if a.threads:
        torch.set_num_threads(a.threads)
    torch.manual_seed(1)
    return a
