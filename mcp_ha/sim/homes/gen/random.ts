// A seeded random source, so a generated home is the same for the same seed.

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = (seed * 0x9e3779b1) >>> 0 || 1;
  }

  /** mulberry32: fast, small, good enough for test data. */
  next(): number {
    let t = (this.s = (this.s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** A value rounded to `digits` decimals in [min, max]. */
  float(min: number, max: number, digits = 1): number {
    const f = 10 ** digits;
    return Math.round((min + this.next() * (max - min)) * f) / f;
  }

  /** 32 lowercase hex digits, like registry and device ids. */
  hexId(): string {
    let out = '';
    for (let i = 0; i < 4; i++) out += Math.floor(this.next() * 4294967296).toString(16).padStart(8, '0');
    return out;
  }

  /** A ULID for `ms`, like HA's context and config entry ids. */
  ulid(ms: number): string {
    let time = '';
    let t = ms;
    for (let i = 0; i < 10; i++) {
      time = CROCKFORD[t % 32] + time;
      t = Math.floor(t / 32);
    }
    // 16 Crockford characters from 80 random bits, taken 5 bits at a time.
    let rand = '';
    for (let i = 0; i < 4; i++) {
      let word = Math.floor(this.next() * 1048576);
      for (let j = 0; j < 4; j++, word >>>= 5) rand += CROCKFORD[word & 31];
    }
    return time + rand;
  }
}
