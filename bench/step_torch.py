"""The PyTorch side of `npm run bench:step`: one MemAE-MNIST training step (SPEC §1: encoder, 100-item
memory with hard shrinkage, decoder; batch 64; Adam), timed the same way as the TypeScript side, plus
the cost of 100,000 small op calls. Prints one JSON line.

Usage: python3 bench/step_torch.py --threads N --steps S --warmup W --ops K
"""
import argparse
import json
import resource
import statistics
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class Memory(nn.Module):
    def __init__(self, items, dim, shrink):
        super().__init__()
        self.weight = nn.Parameter(torch.empty(items, dim).uniform_(-1 / dim ** 0.5, 1 / dim ** 0.5))
        self.shrink = shrink

    def forward(self, z):
        b, c, h, w = z.shape
        q = z.permute(0, 2, 3, 1).reshape(-1, c)
        att = F.softmax(F.linear(q, self.weight), dim=1)
        shifted = att - self.shrink
        att = F.relu(shifted) * att / (shifted.abs() + 1e-12)
        att = F.normalize(att, p=1, dim=1)
        out = F.linear(att, self.weight.t())
        return out.reshape(b, h, w, c).permute(0, 3, 1, 2), att


def block(conv, channels):
    return [conv, nn.BatchNorm2d(channels), nn.ReLU(inplace=True)]


class MemAE(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = nn.Sequential(
            *block(nn.Conv2d(1, 32, 3, 2, 1), 32), *block(nn.Conv2d(32, 16, 3, 2, 1), 16), *block(nn.Conv2d(16, 8, 3, 3, 1), 8))
        self.memory = Memory(100, 8, 1 / 100)
        self.decoder = nn.Sequential(
            *block(nn.ConvTranspose2d(8, 16, 3, 3, 1), 16), *block(nn.ConvTranspose2d(16, 32, 3, 2, 1, 1), 32),
            nn.ConvTranspose2d(32, 1, 3, 2, 1, 1))

    def forward(self, x):
        z, att = self.memory(self.encoder(x))
        return self.decoder(z), att


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--threads", type=int, required=True)
    p.add_argument("--steps", type=int, default=60)
    p.add_argument("--warmup", type=int, default=10)
    p.add_argument("--ops", type=int, default=100000)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    model = MemAE()
    opt = torch.optim.Adam(model.parameters(), lr=1e-4)
    x = torch.rand(64, 1, 28, 28)
    times = []
    for i in range(a.warmup + a.steps):
        t0 = time.perf_counter()
        opt.zero_grad()
        recon, att = model(x)
        entropy = (-att * torch.log(att + 1e-12)).sum(1).mean()
        loss = F.mse_loss(recon, x) + 0.0002 * entropy
        loss.backward()
        opt.step()
        if i >= a.warmup:
            times.append(time.perf_counter() - t0)
    small = torch.rand(4, 4)
    with torch.no_grad():
        for _ in range(1000):
            torch.add(small, small)
        t0 = time.perf_counter()
        for _ in range(a.ops):
            torch.add(small, small)
        op_seconds = (time.perf_counter() - t0) / a.ops
    print(json.dumps({
        "torch": torch.__version__, "threads": torch.get_num_threads(),
        "step_ms_median": statistics.median(times) * 1e3, "step_ms_min": min(times) * 1e3,
        "op_us": op_seconds * 1e6, "loss": float(loss),
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }))


if __name__ == "__main__":
    main()
