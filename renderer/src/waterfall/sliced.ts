/**
 * Long work on the UI thread cut into slices of a few milliseconds, so the browser can draw
 * and scroll between them. Work is a generator that yields now and then (every few thousand
 * spans); `runSliced` runs it for up to SLICE_MS, then hands the thread back through a
 * MessageChannel task (not setTimeout, which browsers clamp to 4 ms once nested) and goes on
 * in the next task. The same generators run to the end at once where nothing is on screen yet
 * (a trace's first page) and in the unit tests (`runToEnd`).
 */

/** Work that yields between steps and returns its result at the end. */
export type Sliced<T> = Generator<void, T, void>;

/** How long one slice may hold the thread: well inside a frame, with room for the frame's own work. */
const SLICE_MS = 6;

/** Runs work to its end without handing the thread back. */
export function runToEnd<T>(work: Sliced<T>): T {
  for (;;) {
    const step = work.next();
    if (step.done) return step.value;
  }
}

let channel: MessageChannel | null = null;
const waiting: (() => void)[] = [];

/** Resolves in a new task, after the browser had its chance to draw. */
function nextTask(): Promise<void> {
  if (!channel) {
    const c = new MessageChannel();
    c.port1.onmessage = () => {
      waiting.shift()?.();
      // Closed when idle: an open port would keep Node (the unit tests) running.
      if (waiting.length === 0 && channel === c) {
        c.port1.close();
        channel = null;
      }
    };
    channel = c;
  }
  const c = channel;
  return new Promise<void>((resolve) => {
    waiting.push(resolve);
    c.port2.postMessage(null);
  });
}

/** Runs work in slices; undefined once `live()` turns false (the work is dropped). */
export async function runSliced<T>(work: Sliced<T>, live: () => boolean): Promise<T | undefined> {
  for (;;) {
    if (!live()) return undefined;
    const until = performance.now() + SLICE_MS;
    do {
      const step = work.next();
      if (step.done) return step.value;
    } while (performance.now() < until);
    await nextTask();
  }
}
