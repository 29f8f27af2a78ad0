"""Writes src/fixtures/pytorch_fid_reference.npz: two sets of features, and the FID between them as
pytorch-fid computes it (np.cov(rowvar=False); calculate_frechet_distance with scipy.linalg.sqrtm),
for a full-rank case (N > D) and a singular one (N < D). Run: python3 scripts/make_fid_reference.py
"""

import numpy as np
from scipy import linalg


def pytorch_fid_distance(mu1, sigma1, mu2, sigma2, eps=1e-6):
    # pytorch-fid src/pytorch_fid/fid_score.py, calculate_frechet_distance (its logic, restated)
    diff = mu1 - mu2
    covmean = linalg.sqrtm(sigma1.dot(sigma2))
    if not np.isfinite(covmean).all():
        offset = np.eye(sigma1.shape[0]) * eps
        covmean = linalg.sqrtm((sigma1 + offset).dot(sigma2 + offset))
    if np.iscomplexobj(covmean):
        covmean = covmean.real
    return diff.dot(diff) + np.trace(sigma1) + np.trace(sigma2) - 2 * np.trace(covmean)


rng = np.random.default_rng(0)
out = {}
for name, n, d in [("full", 400, 24), ("singular", 20, 48)]:
    mix = rng.normal(size=(d, d)) / np.sqrt(d)
    x = np.maximum(rng.normal(size=(n, d)) @ mix + 0.3, 0)
    y = np.maximum(rng.normal(size=(n, d)) @ mix * 1.2 + 0.2, 0)
    fid = pytorch_fid_distance(x.mean(0), np.cov(x, rowvar=False), y.mean(0), np.cov(y, rowvar=False))
    out[f"{name}_x"] = x
    out[f"{name}_y"] = y
    out[f"{name}_fid"] = np.array([fid])
    print(name, fid)
np.savez("src/fixtures/pytorch_fid_reference.npz", **out)
