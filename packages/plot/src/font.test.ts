import { describe, expect, it } from "vitest";
import { glyph, glyphHeight, glyphWidth } from "./font.js";

describe("glyph", () => {
  it("draws a one as a centre stroke, uppercase as lowercase and unknown characters blank", () => {
    const one = glyph("1");
    expect(one.length).toBe(glyphWidth * glyphHeight);
    for (let r = 2; r < 6; r++) expect(one[r * glyphWidth + 2]).toBe(1); // the stem of "1" is column 2
    expect(Array.from(glyph("E"))).toEqual(Array.from(glyph("e")));
    expect(Array.from(glyph("€")).every((v) => v === 0)).toBe(true);
    expect(Array.from(glyph("-")).reduce((a, b) => a + b, 0)).toBe(3); // the minus is 3 pixels
  });
});
