// Shrinks a failing input to a small one that fails the same way (delta debugging over byte ranges),
// so the regression fixture a fuzz run keeps is the smallest reproducer it could find.

/** The smallest input found (within `maxTries` decodes) for which `fails` still holds. */
export function minimize(input: Uint8Array, fails: (b: Uint8Array) => boolean, maxTries = 2000): Uint8Array {
  let best = input;
  let tries = 0;
  let chunk = Math.max(1, best.length >> 1);
  while (chunk >= 1 && tries < maxTries) {
    let removed = false;
    for (let at = 0; at + chunk <= best.length && tries < maxTries; ) {
      const candidate = new Uint8Array(best.length - chunk);
      candidate.set(best.subarray(0, at));
      candidate.set(best.subarray(at + chunk), at);
      tries++;
      if (fails(candidate)) {
        best = candidate;
        removed = true;
      } else at += chunk;
    }
    if (!removed) chunk >>= 1;
  }
  return best;
}
