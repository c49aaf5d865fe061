"""The PyTorch side of `npm run bench:video`: MemAE-3D (SPEC §1) inference throughput at several batch
sizes and one training step (Adam), in fp32 / tf32 / bf16, timed like bench/video-ts.mjs. One JSON line.

Usage: python3 bench/video_torch.py --device cuda --size 256 --modes fp32,tf32,bf16 --batches 1,16,64 --train-batch 10
"""
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

from torch_side import amp, parse_args, report, set_mode, timed


class Memory(nn.Module):
    def __init__(self, n, c, shrink):
        super().__init__()
        self.weight = nn.Parameter(torch.empty(n, c).uniform_(-1 / c ** 0.5, 1 / c ** 0.5))
        self.shrink = shrink

    def forward(self, z):
        c = z.shape[1]
        perm = [0] + list(range(2, z.dim())) + [1]
        q = z.permute(*perm).reshape(-1, c)
        att = F.softmax(F.linear(q, self.weight), dim=1)
        shifted = att - self.shrink
        att = F.relu(shifted) * att / (shifted.abs() + 1e-12)
        att = F.normalize(att, p=1, dim=1)
        out = F.linear(att, self.weight.t())
        shape = [z.shape[0]] + list(z.shape[2:]) + [c]
        return out.reshape(*shape).permute(0, z.dim() - 1, *range(1, z.dim() - 1)), att


def block(conv, c):
    return [conv, nn.BatchNorm3d(c), nn.LeakyReLU(0.2, inplace=True)]


class MemAE3D(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = nn.Sequential(*block(nn.Conv3d(1, 96, 3, (1, 2, 2), 1), 96), *block(nn.Conv3d(96, 128, 3, 2, 1), 128),
                                     *block(nn.Conv3d(128, 256, 3, 2, 1), 256), *block(nn.Conv3d(256, 256, 3, 2, 1), 256))
        self.memory = Memory(2000, 256, 0.0025)
        self.decoder = nn.Sequential(*block(nn.ConvTranspose3d(256, 256, 3, 2, 1, 1), 256), *block(nn.ConvTranspose3d(256, 128, 3, 2, 1, 1), 128),
                                     *block(nn.ConvTranspose3d(128, 96, 3, 2, 1, 1), 96), nn.ConvTranspose3d(96, 1, 3, (1, 2, 2), 1, (0, 1, 1)))

    def forward(self, x):
        z, att = self.memory(self.encoder(x))
        return self.decoder(z), att


def main():
    def own(p):
        p.add_argument("--batches", default="1,16,64")
        p.add_argument("--train-batch", type=int, default=10)
        p.add_argument("--channels-last", action="store_true", help="weights and clips in channels_last_3d layout")
    a = parse_args(own)
    results = {"torch": torch.__version__, "device": a.device, "size": a.size, "infer": {}, "train": {}}
    for mode in a.modes.split(","):
        set_mode(mode, a.device)
        layout = torch.channels_last_3d if a.channels_last else torch.contiguous_format
        model = MemAE3D().to(a.device, memory_format=layout)
        results["parameters"] = {"memae-3d": sum(p.numel() for p in model.parameters())}
        model.eval()
        for b in [int(x) for x in a.batches.split(",")]:
            x = (torch.rand(b, 1, 16, a.size, a.size, device=a.device) * 2 - 1).contiguous(memory_format=layout)

            def infer():
                with torch.no_grad(), amp(a.device, mode):
                    recon, _ = model(x)
                    return ((recon.float() - x) ** 2).sqrt().mean()
            seconds = timed(infer, a.device, a.repeats, 3)
            results["infer"][f"{mode}/{b}"] = b / seconds
            print(f"pytorch {mode} batch {b}: {b / seconds:.1f} clips/s", file=sys.stderr, flush=True)
        model.train()
        opt = torch.optim.Adam(model.parameters(), lr=1e-4)
        x = (torch.rand(a.train_batch, 1, 16, a.size, a.size, device=a.device) * 2 - 1).contiguous(memory_format=layout)

        def step():
            opt.zero_grad()
            with amp(a.device, mode):
                recon, att = model(x)
                loss = F.mse_loss(recon.float(), x) + 0.0002 * (-att * torch.log(att + 1e-12)).sum(1).mean()
            loss.backward()
            opt.step()
        results["train"][mode] = timed(step, a.device, a.repeats, 3) * 1e3
        print(f"pytorch {mode} train step: {results['train'][mode]:.2f} ms", file=sys.stderr, flush=True)
    report(results)


if __name__ == "__main__":
    main()
