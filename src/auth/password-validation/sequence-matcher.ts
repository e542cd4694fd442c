/**
 * The similarity ratios of Python's `difflib.SequenceMatcher`, which
 * Django's `UserAttributeSimilarityValidator` uses. Reimplemented from the
 * algorithm's description (Ratcliff/Obershelp "gestalt pattern matching":
 * the longest common block, then recursively the blocks on either side),
 * over code points, with the same "autojunk" heuristic, so ratios are the
 * same numbers Python computes.
 */

/**
 * Similarity of two strings by Python's `SequenceMatcher` rules.
 *
 * @example
 * ```ts
 * new SequenceMatcher('abcd', 'bcde').ratio(); // 0.75
 * ```
 */
export class SequenceMatcher {
  readonly #a: string[];
  readonly #b: string[];
  /** Positions of each element of b, without the "popular" ones (autojunk). */
  readonly #b2j = new Map<string, number[]>();
  #bCount: Map<string, number> | undefined;

  constructor(a: string, b: string, autojunk = true) {
    this.#a = [...a];
    this.#b = [...b];
    this.#b.forEach((element, j) => {
      const positions = this.#b2j.get(element);
      if (positions) positions.push(j);
      else this.#b2j.set(element, [j]);
    });
    // In long sequences an element making up more than 1 % of b is treated
    // as noise and never starts a match (it can still extend one).
    const n = this.#b.length;
    if (autojunk && n >= 200) {
      const limit = Math.floor(n / 100) + 1;
      for (const [element, positions] of [...this.#b2j]) {
        if (positions.length > limit) this.#b2j.delete(element);
      }
    }
  }

  /** An upper bound of `ratio()` from the lengths alone. */
  realQuickRatio(): number {
    const la = this.#a.length;
    const lb = this.#b.length;
    return ratioOf(Math.min(la, lb), la + lb);
  }

  /** An upper bound of `ratio()` from the multiset of characters (order ignored). */
  quickRatio(): number {
    if (!this.#bCount) {
      this.#bCount = new Map();
      for (const element of this.#b)
        this.#bCount.set(element, (this.#bCount.get(element) ?? 0) + 1);
    }
    const available = new Map<string, number>();
    let matches = 0;
    for (const element of this.#a) {
      const left = available.get(element) ?? this.#bCount.get(element) ?? 0;
      available.set(element, left - 1);
      if (left > 0) matches++;
    }
    return ratioOf(matches, this.#a.length + this.#b.length);
  }

  /** 2·M / T, where M is the number of characters in matching blocks and T the total length. */
  ratio(): number {
    const matched = this.matchingBlocks().reduce((sum, [, , size]) => sum + size, 0);
    return ratioOf(matched, this.#a.length + this.#b.length);
  }

  /** The matching blocks `[i, j, size]`, in order (without Python's final `[la, lb, 0]`). */
  matchingBlocks(): [number, number, number][] {
    const blocks: [number, number, number][] = [];
    const queue: [number, number, number, number][] = [[0, this.#a.length, 0, this.#b.length]];
    while (queue.length > 0) {
      const [alo, ahi, blo, bhi] = queue.pop()!;
      const [i, j, k] = this.findLongestMatch(alo, ahi, blo, bhi);
      if (k === 0) continue;
      blocks.push([i, j, k]);
      if (alo < i && blo < j) queue.push([alo, i, blo, j]);
      if (i + k < ahi && j + k < bhi) queue.push([i + k, ahi, j + k, bhi]);
    }
    return blocks.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  }

  /**
   * The longest block `a[i:i+k] == b[j:j+k]` within the ranges; among equal
   * lengths the one starting earliest in a, then earliest in b.
   */
  findLongestMatch(alo: number, ahi: number, blo: number, bhi: number): [number, number, number] {
    const a = this.#a;
    const b = this.#b;
    let bestI = alo;
    let bestJ = blo;
    let bestSize = 0;
    // lengths[j] = length of the match ending at a[i-1] and b[j].
    let lengths = new Map<number, number>();
    for (let i = alo; i < ahi; i++) {
      const next = new Map<number, number>();
      for (const j of this.#b2j.get(a[i]!) ?? []) {
        if (j < blo) continue;
        if (j >= bhi) break;
        const k = (lengths.get(j - 1) ?? 0) + 1;
        next.set(j, k);
        if (k > bestSize) {
          bestI = i - k + 1;
          bestJ = j - k + 1;
          bestSize = k;
        }
      }
      lengths = next;
    }
    // Popular elements were left out of the index; let them extend the
    // block on both sides, as Python does.
    while (bestI > alo && bestJ > blo && a[bestI - 1] === b[bestJ - 1]) {
      bestI--;
      bestJ--;
      bestSize++;
    }
    while (
      bestI + bestSize < ahi &&
      bestJ + bestSize < bhi &&
      a[bestI + bestSize] === b[bestJ + bestSize]
    ) {
      bestSize++;
    }
    return [bestI, bestJ, bestSize];
  }
}

function ratioOf(matches: number, length: number): number {
  return length ? (2 * matches) / length : 1;
}
