/**
 * One build at a time, in order, where a build nobody waits for any more gives way: when a job
 * reaches the front and `droppable()` says so while others wait behind it, it fails with
 * BuildSuperseded instead of running. The outline reads use it: every huge trace's first page
 * starts its trace's read ahead of need, so an engineer clicking through five huge traces would
 * otherwise queue five reads of half a second each, the last one's pages waiting behind all.
 */
export class BuildSuperseded extends Error {
  constructor() {
    super('a newer request went first; asked for again, it is read then');
    this.name = 'BuildSuperseded';
  }
}

interface Job {
  run: () => Promise<unknown>;
  droppable: () => boolean;
  resolve: (value: unknown) => void;
  reject: (reason: unknown) => void;
}

export class BuildQueue {
  private readonly waiting: Job[] = [];
  private running = false;

  run<T>(job: () => Promise<T>, droppable: () => boolean): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.waiting.push({ run: job, droppable, resolve: resolve as (value: unknown) => void, reject });
      this.next();
    });
  }

  private next(): void {
    if (this.running) return;
    const job = this.waiting.shift();
    if (!job) return;
    if (this.waiting.length > 0 && job.droppable()) {
      job.reject(new BuildSuperseded());
      return this.next();
    }
    this.running = true;
    job
      .run()
      .then(job.resolve, job.reject)
      .finally(() => {
        this.running = false;
        this.next();
      });
  }
}
