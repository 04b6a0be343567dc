/**
 * The heap of a thread that writes batches to the store: the ingest writer (ingest-queue.ts)
 * and an import's writer (importers/writer-thread-sink.ts).
 * - A small young generation: two import threads with default heaps took the 2 GiB memory test
 *   over its ceiling; 16 MB rather than 8 halved the import writer's scavenges (135 instead of
 *   268 in a 256 MB import, 0.1 s less GC), and keeps the ingest writer's heap (and the
 *   process's RSS) from swelling under load.
 * - A bounded old generation: without one (V8's default limit here is several GiB) V8 let a
 *   heap grow to about four times its live data before collecting. The import writer's heap
 *   crept up with the file (44 → 107 MB over a 2 GiB import, live data 30–60 MB; peak 385–399 MB,
 *   334 MB with the bound); under bench:overload on a fast machine the ingest writer's heap
 *   reached 200 MB and serve 456–499 MB (369–372 MB with it). 1.5 GiB still holds the largest
 *   group there is, a whole 512 MiB document (a 470 MB one took ~600 MB here), and what the
 *   ingest queues admit at most, decoded.
 */
export const WRITER_THREAD_HEAP = { maxYoungGenerationSizeMb: 16, maxOldGenerationSizeMb: 1536 };
