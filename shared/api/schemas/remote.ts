/** Remote query APIs (Jaeger, Tempo, Zipkin): saved sources, search, pull into a dataset. */
import { z } from 'zod';
import { REMOTE_KINDS } from '../../model/telemetry.js';
import { datasetName } from './common.js';

const sourceId = z.number().int().positive();
const httpUrl = z.string().regex(/^https?:\/\/.+/, 'an http(s) address');
/** A source given in full for one call (the CLI's `--kind --url`), instead of a saved one. */
const adHocSource = z
  .object({
    kind: z.enum(REMOTE_KINDS),
    url: httpUrl,
    token: z.string().min(1).optional(),
    username: z.string().min(1).optional(),
    password: z.string().optional(),
    timeoutMs: z.number().int().min(100).max(600_000).optional(),
  })
  .strict();
const oneSource = (r: { sourceId?: number | undefined; source?: unknown }): boolean => (r.sourceId === undefined) !== (r.source === undefined);
const ONE_SOURCE = 'name the source: a saved sourceId, or a source given in full';

export const remoteSchemas = {
  /** The configured remote sources (credentials are never returned). */
  listRemoteSources: z.object({}).strict(),
  /** Adds or replaces (by name) a remote source. */
  saveRemoteSource: z
    .object({
      name: z.string().min(1).max(100),
      kind: z.enum(REMOTE_KINDS),
      url: httpUrl,
      token: z.string().min(1).optional(),
      username: z.string().min(1).optional(),
      password: z.string().optional(),
    })
    .strict(),
  deleteRemoteSource: z.object({ sourceId }).strict(),
  /** Searches a remote source. */
  searchRemote: z
    .object({
      sourceId: sourceId.optional(),
      source: adHocSource.optional(),
      service: z.string().min(1).optional(),
      limit: z.number().int().min(1).max(1000).default(20),
      lookbackMinutes: z.number().int().min(1).max(525_600).default(60),
    })
    .strict()
    .refine(oneSource, ONE_SOURCE),
  /** Pulls traces from a remote source into a local dataset (new unless named). */
  pullRemote: z
    .object({
      sourceId: sourceId.optional(),
      source: adHocSource.optional(),
      traceIds: z
        .array(z.string().regex(/^[0-9a-fA-F]{16,32}$/))
        .min(1)
        .max(500),
      datasetName: datasetName.optional(),
    })
    .strict()
    .refine(oneSource, ONE_SOURCE),
};
