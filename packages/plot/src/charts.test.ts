import { encodePng } from "@scm/io";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import { lineChartImage, lineChartSvg, scatterImage, scatterSvg } from "./charts.js";
import { lineChartLayout, scatterLayout } from "./layout.js";

type Node = Record<string, unknown>;
const parse = (svg: string): Node =>
  new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: "",
    isArray: (name) => ["g", "line", "polyline", "circle", "text"].includes(name),
  }).parse(svg) as Node;
const groups = (doc: Node): Node[] => ((doc.svg as Node).g as Node[]) ?? [];
const group = (doc: Node, cls: string, name?: string): Node =>
  groups(doc).find((g) => g.class === cls && (name === undefined || g["data-name"] === name)) as Node;

describe("lineChartSvg", () => {
  it("is well-formed XML with a polyline per series, a legend and tick labels", () => {
    const svg = lineChartSvg(
      [
        { name: "loss <train>", y: [4, 3, 2, 1] },
        { name: "ema", y: [3, 2.5, 2, 1.5] },
      ],
      { title: "sCT & loss" },
    );
    expect(XMLValidator.validate(svg)).toBe(true);
    const doc = parse(svg);
    expect((group(doc, "series", "loss <train>").polyline as Node[]).length).toBe(1);
    const texts = ((group(doc, "labels").text as Node[]) ?? []).map((t) => String(t["#text"]));
    expect(texts).toContain("sCT & loss");
    expect(texts).toContain("4"); // a y tick of the nice domain [1, 4]
    const legend = ((group(doc, "legend").text as Node[]) ?? []).map((t) => String(t["#text"]));
    expect(legend).toEqual(["loss <train>", "ema"]);
  });

  it("maps a known point to its pixel", () => {
    // x domain nice [0, 10] onto [64, 624] (640 − 16 right margin); y nice [0, 10] onto [360, 28] (400 − 40 bottom)
    const l = lineChartLayout([{ name: "a", y: [0, 10], x: [0, 10] }], { width: 640, height: 400 });
    expect(l.x.domain).toEqual([0, 10]);
    expect(l.y.domain).toEqual([0, 10]);
    expect(l.lines[0]?.runs[0]).toEqual([
      [64, 360],
      [624, 28],
    ]);
    const svg = lineChartSvg([{ name: "a", y: [0, 5, 10], x: [0, 5, 10] }]);
    const pts = String((group(parse(svg), "series", "a").polyline as Node[])[0]?.points);
    expect(pts).toBe("64,360 344,194 624,28"); // midpoint: (64 + 624)/2, (360 + 28)/2
  });

  it("puts decades equally apart on a log axis and leaves gaps at non-positive values", () => {
    const l = lineChartLayout([{ name: "loss", y: [1, 0.1, 0.01, 0, 0.001] }], { logY: true, height: 400 });
    expect(l.y.domain).toEqual([0.001, 1]);
    const run0 = l.lines[0]?.runs[0] ?? [];
    // 3 decades over 332 px (360 − 28): 332/3 px per decade
    expect(run0.map(([, y]) => y)).toEqual(
      [28, 28 + 332 / 3, 28 + (2 * 332) / 3].map((v) => expect.closeTo(v, 9)),
    );
    expect(l.lines[0]?.runs.length).toBe(2); // the 0 splits the curve
  });

  it("draws the moving average over a faint raw curve", () => {
    const l = lineChartLayout([{ name: "loss", y: [1, 3, 5, 7] }], { smoothing: 2 });
    expect(l.lines.map((s) => [s.name, s.opacity])).toEqual([
      ["loss (raw)", 0.3],
      ["loss", 1],
    ]);
    // smoothed values 1, 2, 4, 6 on the y scale of the raw data
    expect(l.lines[1]?.runs[0]?.map(([, y]) => y)).toEqual([1, 2, 4, 6].map((v) => l.y(v)));
  });
});

describe("lineChartImage", () => {
  it("rasterises curves, frame and labels into an encodable [H, W, 3] image", () => {
    const img = lineChartImage([{ name: "loss", y: [0, 10], x: [0, 10], color: "#ff0000" }], {
      width: 200,
      height: 120,
    });
    expect(img.shape).toEqual([120, 200, 3]);
    const l = lineChartLayout([{ name: "loss", y: [0, 10], x: [0, 10] }], { width: 200, height: 120 });
    // the curve's first point (x = 0, y = 0) is the plot area's bottom-left corner, drawn over by the frame;
    // its midpoint is pure red (opacity 1, 1.5 px → a 2-px brush)
    const mx = Math.round(l.x(5));
    const my = Math.round(l.y(5));
    expect([img.get(my, mx, 0), img.get(my, mx, 1), img.get(my, mx, 2)]).toEqual([255, 0, 0]);
    expect(encodePng(img).length).toBeGreaterThan(100);
    // a tick label draws dark ink below the axis: some pixel in the label row is the ink grey 51
    let ink = 0;
    for (let x = 0; x < 200; x++) if (img.get(120 - 40 + 14 - 3, x, 0) === 51) ink++;
    expect(ink).toBeGreaterThan(0);
  });
});

describe("scatterSvg", () => {
  it("draws samples and data in two colours at their pixels", () => {
    const svg = scatterSvg([0, 0, 1, -1], [[-1, 1]], { domain: [-1, 1], width: 400, height: 400 });
    expect(XMLValidator.validate(svg)).toBe(true);
    const doc = parse(svg);
    const samples = group(doc, "points", "samples");
    const data = group(doc, "points", "data");
    expect(samples.fill).toBe("#ff7f0e");
    expect(data.fill).toBe("#1f77b4");
    // x [-1, 1] → [64, 384], y [-1, 1] → [360, 28]: (0, 0) → (224, 194), (1, −1) → (384, 360), (−1, 1) → (64, 28)
    const xy = (g: Node) => (g.circle as Node[]).map((c) => [Number(c.cx), Number(c.cy)]);
    expect(xy(samples)).toEqual([
      [224, 194],
      [384, 360],
    ]);
    expect(xy(data)).toEqual([[64, 28]]);
  });

  it("drops points outside the window and picks a nice window around both sets", () => {
    const l = scatterLayout([0.2, 0.3, 5, 5], [-0.9, 0.9], { domain: [-1, 1] });
    expect(l.points.map((p) => p.xy.length)).toEqual([1, 1]);
    expect(scatterLayout([0.2, 1.7], [-0.9, 0.9]).x.domain).toEqual([-1, 2]); // extent [-0.9, 1.7], step 0.5
    expect(() => scatterLayout([1, 2, 3], [])).toThrow(
      /The samples hold 3 numbers|holds 3 numbers; expected x, y pairs/,
    );
  });
});

describe("scatterImage", () => {
  it("paints a disc in the sample colour at the sample's pixel", () => {
    const img = scatterImage([0.2, 0.2], [], { domain: [-1, 1], width: 400, height: 400, radius: 2 });
    // (0.2, 0.2) → (64 + 1.2·160, 360 − 1.2·166) = (256, 160.8), off the grid lines at multiples of 0.5;
    // opacity 0.8 over white: 255 + (c − 255)·0.8 for #ff7f0e = (255, 127, 14)
    const px = [img.get(161, 256, 0), img.get(161, 256, 1), img.get(161, 256, 2)];
    expect(px).toEqual([255, Math.round(255 + (127 - 255) * 0.8), Math.round(255 + (14 - 255) * 0.8)]);
  });
});
