"""The PyTorch side of `npm run bench:mnad`: MNAD (SPEC §2) in plain PyTorch, built from the spec with the
same layers and the same vectorised memory rules as src/models/mnad, and timed like bench/mnad-ts.mjs:
one training step (batch 4: forward, loss, backward, Adam, memory update) and test-time scoring one frame
at a time (PSNR, feature distance, regular score, and a memory update after every frame). One JSON line.

Usage: python3 bench/mnad_torch.py --device cuda --size 256 --variants pred,recon --modes fp32,tf32,bf16
"""
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

from torch_side import amp, parse_args, report, set_mode, timed

FEATURES, ITEMS = 512, 10


def conv(i, o):
    return nn.Conv2d(i, o, 3, 1, 1)


def basic(i, o):
    return nn.Sequential(conv(i, o), nn.BatchNorm2d(o), nn.ReLU(), conv(o, o), nn.BatchNorm2d(o), nn.ReLU())


def upsample(i, o):
    return nn.Sequential(nn.ConvTranspose2d(i, o, 3, 2, 1, 1), nn.BatchNorm2d(o), nn.ReLU())


class Mnad(nn.Module):
    def __init__(self, variant):
        super().__init__()
        self.skips = variant == "pred"
        self.conv1, self.conv2, self.conv3 = basic(12 if self.skips else 3, 64), basic(64, 128), basic(128, 256)
        self.conv4 = nn.Sequential(conv(256, FEATURES), nn.BatchNorm2d(FEATURES), nn.ReLU(), conv(FEATURES, FEATURES))
        up = [256, 128, 64] if self.skips else [512, 256, 128]
        self.dconv = basic(2 * FEATURES, FEATURES)
        self.up4, self.dconv3 = upsample(FEATURES, up[0]), basic(512, 256)
        self.up3, self.dconv2 = upsample(256, up[1]), basic(256, 128)
        self.up2 = upsample(128, up[2])
        self.dconv1 = nn.Sequential(conv(128, 64), nn.BatchNorm2d(64), nn.ReLU(), conv(64, 64), nn.BatchNorm2d(64), nn.ReLU(), conv(64, 3), nn.Tanh())
        self.unused_bn = nn.BatchNorm2d(FEATURES)  # the authors' encoder holds one it never calls; so does ours
        self.register_buffer("items", F.normalize(torch.rand(ITEMS, FEATURES), dim=1))

    def forward(self, x, items):
        s1 = self.conv1(x)
        s2 = self.conv2(F.max_pool2d(s1, 2))
        s3 = self.conv3(F.max_pool2d(s2, 2))
        features = self.conv4(F.max_pool2d(s3, 2))
        b, c, h, w = features.shape
        q = F.normalize(features, dim=1).permute(0, 2, 3, 1).reshape(-1, c)
        read = (q @ items.t()).softmax(1).detach() @ items
        z = torch.cat([q, read], 1).reshape(b, h, w, 2 * c).permute(0, 3, 1, 2)
        join = (lambda skip, up: torch.cat([skip, up], 1)) if self.skips else (lambda skip, up: up)
        h = self.up4(self.dconv(z))
        h = self.up3(self.dconv3(join(s3, h)))
        h = self.up2(self.dconv2(join(s2, h)))
        return self.dconv1(join(s1, h)), q


def update(q, items):
    scores = q @ items.t()
    per_query = scores.softmax(0)
    assigned = F.one_hot(scores.argmax(1), items.shape[0]).to(per_query.dtype)
    step = (per_query * assigned / per_query.max(0, keepdim=True).values).t() @ q
    return F.normalize(items + step, dim=1)


def loss_of(output, target, q, items):
    nearest = (q @ items.t()).topk(2, 1).indices
    positive, negative = items[nearest[:, 0]].detach(), items[nearest[:, 1]].detach()
    compact = F.mse_loss(q, positive)
    separate = F.triplet_margin_loss(q, positive, negative, margin=1.0)
    return F.mse_loss(output, target) + 0.1 * compact + 0.1 * separate


def frame_scores(output, target, q, items):
    error = (((output + 1) / 2 - (target + 1) / 2) ** 2).flatten(1)
    mse = error.mean(1)
    nearest = items[(q @ items.t()).topk(1, 1).indices.reshape(-1)]
    distance = (q - nearest).pow(2).reshape(output.shape[0], -1).mean(1)
    weight = 1 - torch.exp(-error)
    regular = (weight * error).sum(1) / weight.sum(1)
    return mse.double().cpu(), distance.double().cpu(), regular.double().cpu()


def main():
    def own(p):
        p.add_argument("--variants", default="pred,recon")
        p.add_argument("--batch", type=int, default=4)
    a = parse_args(own)
    results = {"torch": torch.__version__, "device": a.device, "size": a.size, "train": {}, "score": {}}
    for variant in a.variants.split(","):
        channels = 12 if variant == "pred" else 3
        for mode in a.modes.split(","):
            set_mode(mode, a.device)
            key = f"{variant}/{mode}"
            model = Mnad(variant).to(a.device)
            opt = torch.optim.Adam(model.parameters(), lr=2e-4)
            x = torch.rand(a.batch, channels, a.size, a.size, device=a.device) * 2 - 1
            target = torch.rand(a.batch, 3, a.size, a.size, device=a.device) * 2 - 1

            def step():
                opt.zero_grad()
                with amp(a.device, mode):
                    output, q = model(x, model.items)
                    loss = loss_of(output.float(), target, q.float(), model.items)
                loss.backward()
                opt.step()
                model.items.copy_(update(q.detach().float(), model.items))
                loss.item()
            results["parameters"] = {**results.get("parameters", {}), variant: sum(p.numel() for p in model.parameters())}
            results["train"][key] = timed(step, a.device, a.repeats, 3) * 1e3
            print(f"pytorch {key} train step: {results['train'][key]:.2f} ms", file=sys.stderr, flush=True)

            model.eval()
            items = model.items.clone()
            frame, frame_target = x[:1], target[:1]

            def score():
                with torch.no_grad():
                    with amp(a.device, mode):
                        output, q = model(frame, items)
                    output, q = output.float(), q.float()
                    mse, distance, regular = frame_scores(output, frame_target, q, items)
                    if regular[0].item() < float("inf"):  # every frame updates: the slowest case
                        items.copy_(update(q, items))
                    return 10 * torch.log10(1 / mse), distance
            results["score"][key] = timed(score, a.device, a.repeats, 3) * 1e3
            print(f"pytorch {key} score: {results['score'][key]:.2f} ms per frame", file=sys.stderr, flush=True)
    report(results)


if __name__ == "__main__":
    main()
