import { describe, expect, it } from "vitest";
import { createProgress, formatDuration } from "./progress.js";

/** A fake stream that records writes, and a fake clock in milliseconds. */
function fakes(isTTY: boolean, columns?: number) {
  const writes: string[] = [];
  const clock = { t: 1000 };
  const stream = {
    isTTY,
    ...(columns === undefined ? {} : { columns }),
    write: (s: string) => writes.push(s),
  };
  return { writes, clock, stream, now: () => clock.t };
}

describe("createProgress", () => {
  it("shows the bar, count, rate, ETA and extra fields on a TTY, redrawn in place", () => {
    const f = fakes(true);
    const p = createProgress({
      total: 1000,
      label: "train",
      stream: f.stream,
      unit: "img",
      now: f.now,
      barWidth: 10,
    });
    f.clock.t += 4000; // 4 s
    p.update(250, { loss: 0.123456, lr: "1e-4" });
    // rate 250 / 4 s = 62.5 img/s; ETA (1000 − 250) / 62.5 = 12 s; bar floor(0.25 · 10) = 2 of 10; loss to 4 digits
    expect(f.writes).toEqual([
      "\rtrain [##--------]  250/1000 62.5 img/s ETA 0:12 loss=0.1235 lr=1e-4\x1b[K",
    ]);
    f.clock.t += 50; // under the 100 ms redraw interval: nothing drawn
    p.update(260);
    expect(f.writes.length).toBe(1);
    f.clock.t += 6000; // t = 10.05 s after the start
    p.update(1000, { loss: 0.05 });
    // 1000 / 10.05 s = 99.50 img/s, one decimal from 10/s up; ETA 0; the bar is full
    expect(f.writes[1]).toBe("\rtrain [##########] 1000/1000 99.5 img/s ETA 0:00 loss=0.05 lr=1e-4\x1b[K");
    f.clock.t += 1950; // finish at 12 s: the elapsed time replaces the ETA, and a newline ends the line
    p.finish();
    expect(f.writes[2]).toBe("\rtrain [##########] 1000/1000 83.3 img/s in 0:12 loss=0.05 lr=1e-4\x1b[K\n"); // 1000/12 = 83.33
    p.update(5);
    p.finish();
    expect(f.writes.length).toBe(3);
  });

  it("counts the rate from `initial` when a run resumes part-way", () => {
    const f = fakes(false);
    const p = createProgress({
      total: 1000,
      stream: f.stream,
      now: f.now,
      initial: 600,
      barWidth: 10,
      logInterval: 0,
    });
    f.clock.t += 2000; // 2 s
    p.update(700);
    // (700 − 600) / 2 s = 50 it/s; ETA (1000 − 700) / 50 = 6 s; bar floor(0.7 · 10) = 7
    expect(f.writes).toEqual(["[#######---]  700/1000 50.0 it/s ETA 0:06\n"]);
  });

  it("prints plain lines at most every logInterval when not a TTY", () => {
    const f = fakes(false);
    const p = createProgress({ total: 100, stream: f.stream, now: f.now, barWidth: 4, logInterval: 5000 });
    f.clock.t += 1000;
    p.update(10); // first update prints: rate 10/s, ETA 90 / 10 = 9 s
    f.clock.t += 2000;
    p.update(30); // 2 s later: not yet
    f.clock.t += 3000;
    p.update(60); // 5 s after the first line, t = 6 s: rate 10/s, ETA 4 s
    expect(f.writes).toEqual(["[----]  10/100 10.0 it/s ETA 0:09\n", "[##--]  60/100 10.0 it/s ETA 0:04\n"]);
  });

  it("cuts a TTY line to the terminal width so that it never wraps", () => {
    const f = fakes(true, 20);
    const p = createProgress({ total: 10, stream: f.stream, now: f.now, label: "a-long-label" });
    f.clock.t += 1000;
    p.update(1);
    expect(f.writes[0]).toBe(`\r${p.line().slice(0, 19)}\x1b[K`);
  });

  it("shows an unknown rate and ETA before any time has passed", () => {
    const f = fakes(false);
    const p = createProgress({ total: 5, stream: f.stream, now: f.now, barWidth: 5 });
    expect(p.line()).toBe("[-----] 0/5 - it/s ETA --:--");
    expect(() => createProgress({ total: 0 })).toThrow(
      "The progress total is 0; expected a positive finite number.",
    );
  });
});

describe("formatDuration", () => {
  it("writes m:ss below an hour and h:mm:ss above", () => {
    expect([0, 59.4, 61, 3599, 3600, 3725].map(formatDuration)).toEqual([
      "0:00",
      "0:59",
      "1:01",
      "59:59",
      "1:00:00",
      "1:02:05",
    ]);
    expect(formatDuration(Number.POSITIVE_INFINITY)).toBe("--:--");
  });
});
