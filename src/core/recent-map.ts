/** A map that remembers at least the last `kept` keys set (two generations: the older is dropped when the newer fills). */
export class RecentMap<V> {
  private newer = new Map<string, V>();
  private older = new Map<string, V>();

  constructor(private readonly kept: number) {}

  set(key: string, value: V): void {
    if (this.newer.size >= this.kept) {
      this.older = this.newer;
      this.newer = new Map();
    }
    this.newer.set(key, value);
  }

  has(key: string): boolean {
    return this.newer.has(key) || this.older.has(key);
  }

  get(key: string): V | undefined {
    return this.newer.has(key) ? this.newer.get(key) : this.older.get(key);
  }
}
