/** Schema pieces the contract's methods share. */
import { z } from 'zod';

export const traceIdHex = z.string().regex(/^[0-9a-fA-F]{32}$/, 'a trace ID is 32 hex characters');
export const spanIdHex = z.string().regex(/^[0-9a-fA-F]{16}$/, 'a span ID is 16 hex characters');
/** A dataset's ID (1 is `live`); names travel as `datasetName`. */
export const datasetId = z.number().int().positive();
/** Long enough for any file name (datasets are named after the first file imported). */
export const datasetName = z.string().min(1).max(1000);
/** A time range in ms since the epoch: both ends optional, the end after the start. */
export const timeRange = { fromMs: z.number().optional(), toMs: z.number().optional() };
export const rangeInOrder = (r: { fromMs?: number | undefined; toMs?: number | undefined }): boolean =>
  r.fromMs === undefined || r.toMs === undefined || r.toMs > r.fromMs;
export const RANGE_MESSAGE = 'toMs must be after fromMs';
/** A path on the machine the core runs on. */
export const localPath = z.string().min(1).max(4096);
