/**
 * A readers-writer lock per Janus instance: scenarios run side by side (readers) unless one
 * declares `requires.exclusive`, which then runs alone on its server (writer), e.g. while it
 * changes global settings other scenarios would notice. Writers wait for running readers;
 * readers queue behind a waiting writer so it is not starved.
 */
export class ExclusiveLock {
  private readers = 0;
  private writer = false;
  private readonly queue: Array<{ exclusive: boolean; start: () => void }> = [];

  async run<T>(exclusive: boolean, job: () => Promise<T>): Promise<T> {
    // Free now and nobody waiting: taken at once, without a promise and a turn of the queue.
    if (this.queue.length === 0 && !this.writer && !(exclusive && this.readers > 0)) this.take(exclusive);
    else await new Promise<void>((start) => {
      this.queue.push({ exclusive, start });
      this.pump();
    });
    try {
      return await job();
    } finally {
      if (exclusive) this.writer = false;
      else this.readers--;
      this.pump();
    }
  }

  private pump(): void {
    while (this.queue.length > 0 && !this.writer) {
      const next = this.queue[0]!;
      if (next.exclusive && this.readers > 0) return;
      this.queue.shift();
      this.take(next.exclusive);
      next.start();
      if (next.exclusive) return;
    }
  }

  private take(exclusive: boolean): void {
    if (exclusive) this.writer = true;
    else this.readers++;
  }
}
