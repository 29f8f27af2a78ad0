// The seed corpus of the fuzz suite: small valid files of every format @scm/io reads, generated in
// code by this package's own writers (and jpeg-js's encoder), so nothing binary is checked in.
import jpeg from "jpeg-js";
import ndarray from "ndarray";
import { encodePng } from "../image.js";
import { encodeNpy } from "../npy.js";
import { encodeNpz } from "../npz.js";
import { encodeSafetensors } from "../safetensors.js";
import { deflatedZip } from "./deflate-zip.js";

const f32 = (values: number[], shape: number[]) => ndarray(new Float32Array(values), shape);

/** Valid safetensors files: several dtypes, metadata, a scalar and an empty tensor. */
export function safetensorsCorpus(): Uint8Array[] {
  return [
    encodeSafetensors({ w: f32([1, 2, 3, 4, 5, 6], [2, 3]) }),
    encodeSafetensors(
      {
        "enc.conv.weight": f32([0.5, -1, 2, 4], [2, 2, 1, 1]),
        "enc.bias": ndarray(new Uint8Array([1, 0, 1]), [3]),
        step: ndarray(new BigInt64Array([7n]), []),
        empty: ndarray(new Float64Array(0), [0, 3]),
        h: f32([1, -2], [2]),
      },
      { format: "pt", "scm.run": '{"mode":"sct","net":{"channels":[8,16]}}' },
      { dtypes: { h: "F16", "enc.bias": "BOOL" } },
    ),
  ];
}

/** Valid .npy files: float, integer, 0-d, empty and a wide header. */
export function npyCorpus(): Uint8Array[] {
  return [
    encodeNpy(f32([1, 2, 3, 4, 5, 6], [2, 3])),
    encodeNpy(ndarray(new Uint8Array([1, 2, 3]), [3])),
    encodeNpy(ndarray(new Float64Array([3.5]), [])),
    encodeNpy(ndarray(new Int32Array(0), [0, 3])),
    encodeNpy(ndarray(new BigInt64Array([1n, -2n]), [2, 1, 1, 1])),
  ];
}

/** Valid .npz archives: stored (savez) and deflated (savez_compressed). */
export function npzCorpus(): Uint8Array[] {
  const mu = ndarray(new Float64Array([0.1, 0.2]), [2]);
  const sigma = ndarray(new Float64Array([1, 0, 0, 1]), [2, 2]);
  return [
    encodeNpz({ mu, sigma }),
    deflatedZip({ "mu.npy": { data: encodeNpy(mu) }, "sigma.npy": { data: encodeNpy(sigma) } }),
  ];
}

/** Valid PNG (gray, RGB, RGBA) and JPEG images. */
export function imageCorpus(): Uint8Array[] {
  const img = (h: number, w: number, c: number) => {
    const data = new Uint8Array(h * w * c);
    for (let i = 0; i < data.length; i++) data[i] = (i * 37) & 255;
    return ndarray(data, [h, w, c]);
  };
  const rgba = img(8, 8, 4);
  const jpg = jpeg.encode({ width: 8, height: 8, data: rgba.data as Uint8Array }, 80).data;
  return [encodePng(img(4, 5, 1)), encodePng(img(3, 2, 3)), encodePng(rgba), new Uint8Array(jpg)];
}

/** Valid numeric CSV text (as UTF-8 bytes): with and without a header, blank lines, exponents. */
export function csvCorpus(): Uint8Array[] {
  const enc = new TextEncoder();
  return [
    enc.encode("step,loss,lr\n1,0.5,1e-4\n2,0.25,1e-4\n\n3,-1.5e+2,2E-3\n"),
    enc.encode('"a","b"\r\n1.5,2\r\n.5,3.\r\n'),
    enc.encode("1,2,3\n4,5,6\n"),
  ];
}
