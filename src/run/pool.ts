/**
 * Runs jobs with at most `concurrency` at once, started in order, each result available by
 * index (a caller that awaits results in order, as mocha does, sees later ones already run).
 */
export class JobPool<T> {
  private readonly results = new Map<number, Promise<T>>();
  private readonly starters: Array<() => void> = [];
  private running = 0;

  constructor(
    private readonly jobs: Array<() => Promise<T>>,
    private readonly concurrency: number,
  ) {
    jobs.forEach((job, i) => {
      this.results.set(i, new Promise<T>((resolve, reject) => {
        this.starters[i] = () => {
          this.running++;
          const p = job();
          this.inFlight.add(p);
          p.then(resolve, reject).finally(() => {
            this.inFlight.delete(p);
            this.running--;
            this.pump();
          });
        };
      }));
    });
  }

  private next = 0;
  private stopped = false;
  private readonly inFlight = new Set<Promise<T>>();

  start(): void {
    this.pump();
  }

  /** Starts nothing more (the run bailed or was interrupted) and waits for what is running. */
  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.allSettled([...this.inFlight]);
  }

  /** Settles when every job has finished, or, once stopped, every job that had started. */
  async settled(): Promise<void> {
    while (this.inFlight.size > 0 || (!this.stopped && this.next < this.jobs.length)) {
      await Promise.race([...this.inFlight].map((p) => p.then(() => undefined, () => undefined)));
    }
  }

  private pump(): void {
    while (!this.stopped && this.running < this.concurrency && this.next < this.jobs.length) this.starters[this.next++]!();
  }

  /** The result of job i; asking for a job not yet started starts it at once (mocha's order wins). */
  result(i: number): Promise<T> {
    if (i >= this.next) {
      while (this.next <= i) this.starters[this.next++]!();
    }
    return this.results.get(i)!;
  }
}
