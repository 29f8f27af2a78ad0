"""PyTorch reference of @scm/nets' U-Net and of one sCT step, for `pnpm bench` (torch-parity.bench.ts).

The same network as packages/nets/src/unet.ts (EDM's SongUNet with positional time features and the
adaptive double normalisation of §4.1), loaded from the project's own safetensors (tfjs layouts:
conv [k, k, in, out], linear [in, out]) and run in PyTorch's CPU eager mode, NCHW. The bench sends it
the weights, one input batch and the native backend's outputs; it checks it computes the same F, logvar
and JVP tangent before anything is timed, then times rounds on request, interleaved with the native ones.

Protocol (stdin/stdout, one JSON object a line):
  argv: DIR THREADS.  DIR holds weights.safetensors and batch.json (shapes, file names of raw float32).
  out:  {"ready": true, "torch": ver, "threads": n, "errors": {...}}  after the agreement check
  in:   "forward" | "jvp" | "sct"  →  out: {"ms": wall milliseconds of one call}
  in:   "quit"
"""

import json
import math
import struct
import sys
import time

import numpy as np
import torch
import torch.autograd.forward_ad as fwAD
import torch.nn.functional as F


def read_safetensors(path):
    """The tensors and metadata of a safetensors file (8-byte header length, JSON header, raw data)."""
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8 : 8 + n])
    meta = header.pop("__metadata__", {})
    base = 8 + n
    tensors = {}
    for name, info in header.items():
        assert info["dtype"] == "F32", f"{name}: {info['dtype']}"
        lo, hi = info["data_offsets"]
        arr = np.frombuffer(data[base + lo : base + hi], dtype="<f4").reshape(info["shape"])
        tensors[name] = torch.from_numpy(arr.copy())
    return tensors, meta


def groups_for(c):
    """GroupNorm's group count (nets/src/layers.ts groupsFor: min(32, C/4), lowered until it divides C)."""
    g = max(1, min(32, c // 4))
    while c % g != 0:
        g -= 1
    return g


class UNet(torch.nn.Module):
    """unet.ts in PyTorch: the same layout (unetLayout), names and maths; NCHW activations."""

    def __init__(self, cfg, tensors):
        super().__init__()
        self.cfg = cfg
        self.p = {}
        for name, v in tensors.items():
            if v.dim() == 4:  # conv [k, k, in, out] → [out, in, k, k]
                v = v.permute(3, 2, 0, 1).contiguous()
            self.p[name] = torch.nn.Parameter(v)
            self.register_parameter(name.replace(".", "__"), self.p[name])
        self.ops = self.layout()
        half = cfg["modelChannels"] // 2
        self.freqs = torch.tensor([(1 / 10000) ** (k / half) for k in range(half)], dtype=torch.float32)

    def layout(self):
        cfg, ops = self.cfg, []

        def op(name, size, **o):  # unet.ts's op(): a residual block of the encoder unless said otherwise
            ops.append({"name": name, "size": size, "kind": "block", "skip": False, "enc": True, "res": "none",
                        "attn": False, **o})

        mult, attn_at = cfg["channelMult"], cfg["attnResolutions"]
        for level in range(len(mult)):
            res = cfg["resolution"] >> level
            at = f"enc.{res}x{res}"
            if level == 0:
                op(f"{at}_conv", res, kind="conv")
            else:
                op(f"{at}_down", res, res="down")
            for idx in range(cfg["numBlocks"]):
                op(f"{at}_block{idx}", res, attn=res in attn_at)
        for level in range(len(mult) - 1, -1, -1):
            res = cfg["resolution"] >> level
            at = f"dec.{res}x{res}"
            if level == len(mult) - 1:
                op(f"{at}_in0", res, enc=False, attn=True)
                op(f"{at}_in1", res, enc=False)
            else:
                op(f"{at}_up", res, enc=False, res="up")
            for idx in range(cfg["numBlocks"] + 1):
                op(f"{at}_block{idx}", res, enc=False, skip=True, attn=idx == cfg["numBlocks"] and res in attn_at)
        return ops

    def conv(self, name, x):
        w = self.p[f"{name}.weight"]
        return F.conv2d(x, w, self.p.get(f"{name}.bias"), padding=w.shape[-1] // 2)

    def linear(self, name, x):
        y = x @ self.p[f"{name}.weight"]
        b = self.p.get(f"{name}.bias")
        return y if b is None else y + b

    def gn(self, x, name=None):
        """GroupNorm (ε 1e-6), with its affine when `name` is given (layers.ts groupNormAffine)."""
        c = x.shape[1]
        w = self.p[f"{name}.weight"] if name else None
        b = self.p[f"{name}.bias"] if name else None
        return F.group_norm(x.contiguous(), groups_for(c), w, b, eps=1e-6)

    @staticmethod
    def pnorm(v):
        """pnorm(v) = v/√(mean_c(v²) + ε), ε 1e-8 (§4.1; modulation.ts)."""
        return v * torch.rsqrt((v * v).mean(-1, keepdim=True) + 1e-8)

    def block(self, op, x, emb, masks):
        n = op["name"]

        def resample(a):
            if op["res"] == "down":
                return F.avg_pool2d(a, 2)
            if op["res"] == "up":
                return F.interpolate(a, scale_factor=2, mode="nearest")
            return a

        h = F.silu(self.gn(x, f"{n}.norm0"))
        h = self.conv(f"{n}.conv0", resample(h))
        s, b = self.linear(f"{n}.affine", emb).chunk(2, dim=-1)
        if self.cfg["modulation"] == "double":
            s, b = self.pnorm(s), self.pnorm(b)
        h = F.silu(self.gn(h) * s[:, :, None, None] + b[:, :, None, None])  # §4.1
        if masks is not None:
            h = h * masks.pop(0)
        h = self.conv(f"{n}.conv1", h)
        skip = resample(x)
        if f"{n}.skip.weight" in self.p:
            skip = self.conv(f"{n}.skip", skip)
        y = (h + skip) * math.sqrt(0.5)
        if op["attn"]:
            bsz, c, hh, ww = y.shape
            tokens = self.gn(y, f"{n}.norm2").flatten(2).transpose(1, 2)  # [B, HW, C]
            q, k, v = self.linear(f"{n}.qkv", tokens).chunk(3, dim=-1)
            heads = self.cfg["attentionHeads"]
            split = lambda a: a.reshape(bsz, hh * ww, heads, c // heads).transpose(1, 2)  # noqa: E731
            q, k, v = split(q), split(k), split(v)
            a = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(c // heads), dim=-1) @ v
            a = self.linear(f"{n}.proj", a.transpose(1, 2).reshape(bsz, hh * ww, c))
            y = (y + a.transpose(1, 2).reshape(bsz, c, hh, ww)) * math.sqrt(0.5)
        return y

    def forward(self, x, t, masks=None):
        """x = x_t/σ_d [B, C, R, R], t [B] → (F [B, C, R, R], logvar [B]) (network-fn.ts, embedding.ts)."""
        angle = t[:, None] * self.freqs[None, :]
        features = torch.cat([torch.cos(angle), torch.sin(angle)], 1)  # positional, c_noise(t) = t
        logvar = self.linear("logvar_linear", features)[:, 0]
        emb = F.silu(self.linear("map_layer1", F.silu(self.linear("map_layer0", features))))
        masks = None if masks is None else list(masks)
        skips, h = [], x
        for op in self.ops:
            if op["skip"]:
                h = torch.cat([h, skips.pop()], 1)
            h = self.conv(op["name"], h) if op["kind"] == "conv" else self.block(op, h, emb, masks)
            if op["enc"]:
                skips.append(h)
        r = self.cfg["resolution"]
        out = f"dec.{r}x{r}"
        return self.conv(f"{out}_aux_conv", F.silu(self.gn(h, f"{out}_aux_norm"))), logvar


def jvp(net, y, t, ty, tt, masks=None):
    """(F, ∂F/∂y·ty + ∂F/∂t·tt) by forward-mode AD (torch.autograd.forward_ad), no tape."""
    with torch.no_grad(), fwAD.dual_level():
        out, _ = net(fwAD.make_dual(y, ty), fwAD.make_dual(t, tt), masks)
        primal, tangent = fwAD.unpack_dual(out)
        return primal, tangent


def sct_step(net, opt, x0, sigma_d=0.5, p_mean=-1.0, p_std=1.6, warmup=1.0, c=0.1, rate=0.1):
    """One sCT step of Algorithm 1: draws, rearranged JVP, tangent g, normalisation, loss, backward, RAdam."""
    b = x0.shape[0]
    tau = torch.randn(b) * p_std + p_mean
    t = torch.atan(torch.exp(tau) / sigma_d)  # tan t = σ/σ_d, log σ ~ N(P_mean, P_std²)
    z = torch.randn_like(x0) * sigma_d
    cos, sin = torch.cos(t)[:, None, None, None], torch.sin(t)[:, None, None, None]
    x_t = cos * x0 + sin * z
    dxdt = cos * z - sin * x0  # sCT's dx_t/dt
    masks = [torch.bernoulli(torch.full(m, 1 - rate)) / (1 - rate) for m in mask_shapes(net, b)]
    cs = torch.cos(t) * torch.sin(t)
    Fm, J = jvp(net, x_t / sigma_d, t, cs[:, None, None, None] * dxdt / sigma_d, cs, masks)
    g = -(cos**2) * (sigma_d * Fm - dxdt) - warmup * (cos * sin * x_t + sigma_d * J)
    g = g / (g.flatten(1).norm(dim=1)[:, None, None, None] + c)  # Alg. 1: g/(‖g‖ + c)
    target = Fm + g
    Fθ, logvar = net(x_t / sigma_d, t, masks)
    sq = ((Fθ - target) ** 2).flatten(1).sum(1)
    loss = (torch.exp(-logvar) * sq / x0[0].numel() + logvar).mean()  # adaptive weighting, w_φ = −logvar
    loss.backward()
    opt.step()
    opt.zero_grad(set_to_none=True)
    return float(loss)


def mask_shapes(net, b):
    """The dropout masks of one call, in call order: each block's conv1 input [B, C_out, H', W']."""
    return [(b, net.p[f"{op['name']}.conv1.weight"].shape[0], op["size"], op["size"]) for op in net.ops if op["kind"] == "block"]


def main():
    folder, threads = sys.argv[1], int(sys.argv[2])
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    tensors, meta = read_safetensors(f"{folder}/weights.safetensors")
    cfg = json.loads(meta["scm.config"])
    net = UNet(cfg, tensors)
    with open(f"{folder}/batch.json") as f:
        batch = json.load(f)

    def load(key):
        shape = batch["shapes"][key]
        arr = np.fromfile(f"{folder}/{key}.f32", dtype="<f4").reshape(shape)
        t = torch.from_numpy(arr)
        return t.permute(0, 3, 1, 2).contiguous() if t.dim() == 4 else t  # NHWC → NCHW

    y, t, ty, tt = load("y"), load("t"), load("ty"), load("tt")
    with torch.no_grad():
        Fy, logvar = net(y, t)
    Fj, J = jvp(net, y, t, ty, tt)

    def rel(a, ref):
        return float((a - ref).abs().max() / ref.abs().max())

    errors = {
        "F": rel(Fy, load("F")),
        "logvar": float((logvar - load("logvar")).abs().max()),
        "jvpF": rel(Fj, load("F")),
        "J": rel(J, load("J")),
    }
    x0 = y * 0.5
    # RAdam (Liu et al. 2020) with losses/src/optimizer.ts's defaults: β (0.9, 0.99), ε 1e-8.
    opt = torch.optim.RAdam(net.parameters(), lr=1e-4, betas=(0.9, 0.99), eps=1e-8)
    def forward():
        with torch.no_grad():
            net(y, t)[0].sum().item()

    calls = {
        "forward": forward,
        "jvp": lambda: jvp(net, y, t, ty, tt)[1].sum().item(),
        "sct": lambda: sct_step(net, opt, x0),
    }
    for call in calls.values():  # warm-up: allocator and oneDNN primitive caches
        call()
    print(json.dumps({"ready": True, "torch": torch.__version__, "threads": torch.get_num_threads(), "errors": errors}), flush=True)
    for line in sys.stdin:
        what = line.strip()
        if what == "quit":
            break
        start = time.perf_counter()
        calls[what]()
        print(json.dumps({"ms": (time.perf_counter() - start) * 1000}), flush=True)


if __name__ == "__main__":
    main()
