// A seeded random stream: xoshiro128** (Blackman & Vigna 2018) seeded through SplitMix32. Pure
// JavaScript so that every backend draws the same numbers, and its state is four integers that a
// checkpoint can store, so a resumed run continues the exact sequence.

/** The saved state of an `Rng`: four unsigned 32-bit integers. */
export interface RngState {
  readonly s: readonly [number, number, number, number];
}

const TWO_PI = 2 * Math.PI;
const INV_2_32 = 2 ** -32;

// SplitMix32 finaliser: spreads one integer over all 32 bits.
function mix32(x: number): number {
  let z = x >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
  z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
  return (z ^ (z >>> 15)) >>> 0;
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

function checkSeed(seed: number, what: string): void {
  if (!Number.isSafeInteger(seed) || seed < 0) {
    throw new RangeError(`${what} is ${seed}; expected a non-negative safe integer.`);
  }
}

/** A seeded, splittable stream of uniform and normal numbers; the same seed gives the same draws. */
export class Rng {
  private readonly s: Uint32Array;

  private constructor(s: Uint32Array) {
    this.s = s;
    if ((s[0]! | s[1]! | s[2]! | s[3]!) === 0) s[0] = 1; // the all-zero state is a fixed point
  }

  /** A stream from an integer seed (0 ≤ seed < 2^53). */
  static seeded(seed: number): Rng {
    checkSeed(seed, "The seed");
    const lo = seed >>> 0;
    const hi = Math.floor(seed / 2 ** 32) >>> 0;
    const s = new Uint32Array(4);
    let x = (lo ^ mix32(hi + 0x6a09e667)) >>> 0;
    for (let i = 0; i < 4; i++) {
      x = (x + 0x9e3779b9) >>> 0;
      s[i] = mix32(x);
    }
    return new Rng(s);
  }

  /** A stream that continues from a saved state. */
  static fromState(state: RngState): Rng {
    const s = state?.s;
    if (
      !Array.isArray(s) ||
      s.length !== 4 ||
      !s.every((v) => Number.isInteger(v) && v >= 0 && v < 2 ** 32)
    ) {
      throw new TypeError("The RNG state is malformed; expected { s: [four unsigned 32-bit integers] }.");
    }
    return new Rng(Uint32Array.from(s));
  }

  /** The current state; `Rng.fromState(rng.state())` continues the same sequence. */
  state(): RngState {
    return { s: [this.s[0]!, this.s[1]!, this.s[2]!, this.s[3]!] };
  }

  /** The next unsigned 32-bit integer (xoshiro128**). */
  nextUint32(): number {
    const s = this.s;
    const result = Math.imul(rotl(Math.imul(s[1]!, 5) >>> 0, 7), 9) >>> 0;
    const t = s[1]! << 9;
    s[2]! ^= s[0]!;
    s[3]! ^= s[1]!;
    s[1]! ^= s[2]!;
    s[0]! ^= s[3]!;
    s[2]! ^= t;
    s[3] = rotl(s[3]!, 11);
    return result;
  }

  /** A uniform number in [0, 1). */
  uniform(): number {
    return this.nextUint32() * INV_2_32;
  }

  /** Fills `out` with uniform numbers in [low, high). */
  fillUniform<T extends Float32Array | Float64Array>(out: T, low = 0, high = 1): T {
    const scale = high - low;
    for (let i = 0; i < out.length; i++) out[i] = low + scale * this.uniform();
    return out;
  }

  /** Fills `out` with normal numbers of mean `mean` and standard deviation `std` (Box–Muller). */
  fillNormal<T extends Float32Array | Float64Array>(out: T, mean = 0, std = 1): T {
    for (let i = 0; i < out.length; i += 2) {
      const u1 = (this.nextUint32() + 1) * INV_2_32; // (0, 1]: log(u1) is finite
      const u2 = this.uniform();
      const r = std * Math.sqrt(-2 * Math.log(u1));
      out[i] = mean + r * Math.cos(TWO_PI * u2);
      if (i + 1 < out.length) out[i + 1] = mean + r * Math.sin(TWO_PI * u2);
    }
    return out;
  }

  /** One standard normal number. */
  normal(): number {
    return this.fillNormal(new Float64Array(1))[0]!;
  }

  /** An independent child stream; advances this stream by two draws. */
  fork(): Rng {
    const a = this.nextUint32();
    const b = this.nextUint32();
    return Rng.seeded(a * 2 ** 21 + (b >>> 11));
  }

  /**
   * The child stream for `key` (a sample index, a step), derived without advancing this stream, so
   * sample i's noise does not depend on the batch it is drawn in.
   */
  at(key: number): Rng {
    checkSeed(key, "The stream key");
    const s = new Uint32Array(4);
    let x = mix32(key >>> 0) ^ mix32(Math.floor(key / 2 ** 32) + 0x3c6ef372);
    for (let i = 0; i < 4; i++) {
      x = mix32((x + this.s[i]! + 0x9e3779b9 * (i + 1)) >>> 0);
      s[i] = x;
    }
    return new Rng(s);
  }
}
