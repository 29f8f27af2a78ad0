import { rmSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { toyDataset } from "../toy.js";
import { png, put, tempDir } from "./fixtures.js";
import { loadDataset } from "./load-dataset.js";

const dir = tempDir();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("loadDataset", () => {
  it("picks the loader from the source", async () => {
    const toy = await loadDataset("spiral", { toySize: 50, toySeed: 2 });
    expect(Array.from(toy.x)).toEqual(Array.from(toyDataset("spiral", 50, 2).x));
    put(
      dir,
      "imgs/a.png",
      png(3, 3, 1, () => 0),
    );
    expect((await loadDataset(`${dir}/imgs`)).sampleShape).toEqual([3, 3, 1]);
    expect((await loadDataset(put(dir, "p.csv", "1,2,3\n"))).sampleShape).toEqual([3]);
  });

  it("names a source that is neither built in nor on disk", async () => {
    await expect(loadDataset("nope")).rejects.toThrow(
      /Data source "nope" is neither a built-in set \(mnist, checkerboard, 8gaussians, moons, spiral\) nor a readable file or folder/,
    );
  });
});
