/**
 * Releases finished tests in the order the run planned them, whatever order they finish in
 * (tests run in a pool): a test is released once every test planned before it has finished or
 * is known never to finish. Tests the plan did not name are released at once.
 */
export class PlanOrder<T> {
  private readonly position = new Map<string, number>();
  private readonly done = new Map<number, T>();
  private next = 0;

  constructor(private readonly ids: readonly string[]) {
    ids.forEach((id, i) => this.position.set(id, i));
  }

  /** Records a finished test; returns what can be released now, in plan order. */
  finish(id: string, value: T): T[] {
    const at = this.position.get(id);
    if (at === undefined) return [value];
    if (at < this.next) return [];
    this.done.set(at, value);
    const released: T[] = [];
    while (this.done.has(this.next)) {
      released.push(this.done.get(this.next)!);
      this.done.delete(this.next++);
    }
    return released;
  }

  /** The run is over: everything finished but still held (behind a test that never finished), in plan order. */
  rest(): T[] {
    const held = [...this.done.entries()].sort(([a], [b]) => a - b).map(([, v]) => v);
    this.done.clear();
    this.next = this.ids.length;
    return held;
  }
}
