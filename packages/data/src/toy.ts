// Toy 2-D sets (checkerboard, 8 Gaussians, two moons, spiral), seeded. Each is generated in its usual
// "raw" coordinates and then standardised per dimension with its closed-form mean and std, times
// σ_d = 0.5: every toy set has per-dimension std 0.5 in expectation, the paper's σ_d (Sec. 2).
import { Rng } from "@scm/backend";
import type { Dataset } from "./dataset.js";
import { DataError } from "./errors.js";

/** The names of the toy 2-D sets. */
export const toyNames = ["checkerboard", "8gaussians", "moons", "spiral"] as const;

/** A toy 2-D set's name. */
export type ToyName = (typeof toyNames)[number];

/** The data std every toy set is scaled to (the paper's σ_d). */
export const toySigmaData = 0.5;

interface Toy {
  /** Fills `out[2i], out[2i+1]` with raw point i. */
  draw: (out: Float32Array, rng: Rng) => void;
  /** Closed-form per-dimension mean of the raw points. */
  mean: [number, number];
  /** Closed-form per-dimension std of the raw points. */
  std: [number, number];
}

const n2 = (rng: Rng): [number, number] => {
  const z = rng.fillNormal(new Float64Array(2));
  return [z[0] as number, z[1] as number];
};

// Checkerboard on [-2, 2]²: 8 of the 16 unit cells. Both marginals are uniform on [-2, 2]:
// mean 0, variance 4²/12 = 4/3.
const checkerboard: Toy = {
  draw(out, rng) {
    for (let i = 0; i < out.length; i += 2) {
      const x = 4 * rng.uniform() - 2;
      const cell = Math.floor(x) & 1; // parity of the column; & works on negatives in two's complement
      const y = rng.uniform() - 2 * Math.floor(2 * rng.uniform()) + cell;
      out[i] = x;
      out[i + 1] = y;
    }
  },
  mean: [0, 0],
  std: [Math.sqrt(4 / 3), Math.sqrt(4 / 3)],
};

// 8 Gaussians of std s at radius 1, angles kπ/4: mean 0, variance E[cos²] + s² = 1/2 + s² per dimension.
const gaussS = 0.125; // the ratio noise/radius of FFJORD's set (0.5 / 4)
const gaussians: Toy = {
  draw(out, rng) {
    for (let i = 0; i < out.length; i += 2) {
      const k = Math.floor(8 * rng.uniform());
      const [a, b] = n2(rng);
      out[i] = Math.cos((k * Math.PI) / 4) + gaussS * a;
      out[i + 1] = Math.sin((k * Math.PI) / 4) + gaussS * b;
    }
  },
  mean: [0, 0],
  std: [Math.sqrt(0.5 + gaussS ** 2), Math.sqrt(0.5 + gaussS ** 2)],
};

// Two moons as sklearn's make_moons (θ ~ U[0, π]): outer (cos θ, sin θ), inner (1 − cos θ, 1/2 − sin θ),
// plus N(0, η²). x: means 0 and 1, within-variance 1/2 → mean 1/2, variance 1/2 + 1/4 + η².
// y: means 2/π and 1/2 − 2/π, within-variance 1/2 − 4/π² → mean 1/4, variance 1/2 − 4/π² + (2/π − 1/4)² + η².
const moonsEta = 0.1;
const moons: Toy = {
  draw(out, rng) {
    for (let i = 0; i < out.length; i += 2) {
      const inner = rng.uniform() < 0.5;
      const th = Math.PI * rng.uniform();
      const [a, b] = n2(rng);
      out[i] = (inner ? 1 - Math.cos(th) : Math.cos(th)) + moonsEta * a;
      out[i + 1] = (inner ? 0.5 - Math.sin(th) : Math.sin(th)) + moonsEta * b;
    }
  },
  mean: [0.5, 0.25],
  std: [
    Math.sqrt(0.75 + moonsEta ** 2),
    Math.sqrt(0.5 - 4 / Math.PI ** 2 + (2 / Math.PI - 0.25) ** 2 + moonsEta ** 2),
  ],
};

// Two-armed spiral: θ = Θ√u (uniform along the area), point ±(θ cos θ, θ sin θ)/Θ + N(0, η²), Θ = 3π.
// Mean 0 by the ± symmetry. With density 2θ/Θ² on [0, Θ] and ∫₀^Θ θ³ cos 2θ dθ = 3Θ²/4 (sin 6π = 0):
// E[θ² cos² θ] = Θ²/4 + 3/4 and E[θ² sin² θ] = Θ²/4 − 3/4, so var x = 1/4 + 3/(4Θ²) + η², var y = 1/4 − 3/(4Θ²) + η².
const spiralTheta = 3 * Math.PI;
const spiralEta = 0.02;
const spiral: Toy = {
  draw(out, rng) {
    for (let i = 0; i < out.length; i += 2) {
      const sign = rng.uniform() < 0.5 ? -1 : 1;
      const th = spiralTheta * Math.sqrt(rng.uniform());
      const [a, b] = n2(rng);
      out[i] = (sign * th * Math.cos(th)) / spiralTheta + spiralEta * a;
      out[i + 1] = (sign * th * Math.sin(th)) / spiralTheta + spiralEta * b;
    }
  },
  mean: [0, 0],
  std: [
    Math.sqrt(0.25 + 3 / (4 * spiralTheta ** 2) + spiralEta ** 2),
    Math.sqrt(0.25 - 3 / (4 * spiralTheta ** 2) + spiralEta ** 2),
  ],
};

const toys: Record<ToyName, Toy> = { checkerboard, "8gaussians": gaussians, moons, spiral };

/** Whether `name` is one of the toy sets. */
export function isToyName(name: string): name is ToyName {
  return (toyNames as readonly string[]).includes(name);
}

/** `n` points of a toy 2-D set drawn with `seed`, standardised per dimension to mean 0 and std σ_d = 0.5. */
export function toyDataset(name: ToyName, n: number, seed: number): Dataset {
  if (!isToyName(name)) {
    throw new DataError(`Toy set "${String(name)}" is unknown; expected one of ${toyNames.join(", ")}.`);
  }
  if (!Number.isSafeInteger(n) || n < 1) {
    throw new DataError(`Toy set size is ${n}; expected a positive integer.`);
  }
  const toy = toys[name];
  const x = new Float32Array(2 * n);
  toy.draw(x, Rng.seeded(seed));
  for (let i = 0; i < x.length; i++) {
    const d = i & 1;
    x[i] = (toySigmaData * ((x[i] as number) - toy.mean[d]!)) / toy.std[d]!;
  }
  return { x, sampleShape: [2], n, name };
}
