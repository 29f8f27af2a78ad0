// 16-bit floats: IEEE 754 binary16 (safetensors F16, numpy '<f2') and bfloat16 (BF16), as bit
// patterns in Uint16Array; widening to float32 is exact, narrowing rounds to nearest, ties to even.

// scratch for float32 ↔ bit-pattern reinterpretation
const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** Widens float16 bit patterns to float32 values, exactly. */
export function halfToFloat32(bits: Uint16Array): Float32Array {
  const out = new Float32Array(bits.length);
  for (let i = 0; i < bits.length; i++) {
    const h = bits[i] as number;
    const sign = (h & 0x8000) << 16;
    const exp = (h >> 10) & 0x1f;
    const mant = h & 0x3ff;
    if (exp === 0) {
      // zero or subnormal: mant · 2^-24
      out[i] = (sign ? -1 : 1) * mant * 2 ** -24;
      continue;
    }
    u32[0] = exp === 31 ? sign | 0x7f800000 | (mant << 13) : sign | ((exp + 112) << 23) | (mant << 13);
    out[i] = f32[0] as number;
  }
  return out;
}

/** Maps each value, rounded to float32, through `f` applied to its bit pattern. */
function fromFloat32Bits(values: ArrayLike<number>, f: (x: number) => number): Uint16Array {
  const out = new Uint16Array(values.length);
  for (let i = 0; i < values.length; i++) {
    f32[0] = values[i] as number;
    out[i] = f(u32[0] as number);
  }
  return out;
}

/** Rounds float values to float16 bit patterns (round to nearest, ties to even; NaN stays NaN). */
export function float32ToHalf(values: ArrayLike<number>): Uint16Array {
  return fromFloat32Bits(values, (x) => {
    const sign = (x >>> 16) & 0x8000;
    const exp = (x >>> 23) & 0xff;
    const mant = x & 0x7fffff;
    if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 | (mant >>> 13) : 0); // inf, NaN
    const e = exp - 127 + 15;
    if (e >= 31) return sign | 0x7c00; // overflow → ±inf
    if (e <= 0) {
      if (e < -10) return sign; // underflow → ±0
      // subnormal half: shift the full mantissa (with its hidden bit) right, rounding to even
      const m = mant | 0x800000;
      const shift = 14 - e;
      let h = m >>> shift;
      const rem = m & ((1 << shift) - 1);
      const half = 1 << (shift - 1);
      if (rem > half || (rem === half && h & 1)) h++;
      return sign | h;
    }
    let h = (e << 10) | (mant >>> 13);
    const rem = mant & 0x1fff;
    if (rem > 0x1000 || (rem === 0x1000 && h & 1)) h++; // a carry into the exponent is still correct
    return sign | h;
  });
}

/** Widens bfloat16 bit patterns to float32 values, exactly. */
export function bfloat16ToFloat32(bits: Uint16Array): Float32Array {
  const out = new Float32Array(bits.length);
  const outBits = new Uint32Array(out.buffer);
  for (let i = 0; i < bits.length; i++) outBits[i] = (bits[i] as number) << 16;
  return out;
}

/** Rounds float values to bfloat16 bit patterns (round to nearest, ties to even; NaN stays NaN). */
export function float32ToBfloat16(values: ArrayLike<number>): Uint16Array {
  return fromFloat32Bits(values, (x) => {
    if ((x & 0x7f800000) === 0x7f800000 && x & 0x7fffff) return (x >>> 16) | 0x40; // quiet NaN
    return (x + 0x7fff + ((x >>> 16) & 1)) >>> 16;
  });
}
