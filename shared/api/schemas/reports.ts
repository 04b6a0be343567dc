/** Sealed audit reports: make, list, read, verify; the signing key. */
import { z } from 'zod';
import { datasetId, localPath, RANGE_MESSAGE, rangeInOrder, timeRange } from './common.js';

const scope = { datasetId: datasetId.optional(), service: z.string().min(1).optional(), model: z.string().min(1).optional(), ...timeRange };
const fingerprint = z.string().regex(/^[0-9a-fA-F]{64}$/, 'a key fingerprint is 64 hex characters');

export const reportSchemas = {
  /** Makes a sealed audit report (HTML or PDF) beside the store; runs in a worker thread. */
  createReport: z
    .object({ format: z.enum(['html', 'pdf']).default('html'), ...scope })
    .strict()
    .refine(rangeInOrder, RANGE_MESSAGE),
  /**
   * Makes a sealed report at a path of the user's choosing (HTML or PDF by its extension), with
   * the evidence bundle beside it when asked and the signing key from `keyDir` when given;
   * progress arrives as 'report' live events. Local transports only (CLI, desktop app).
   */
  writeReport: z
    .object({
      outPath: localPath.regex(/\.(html?|pdf)$/i, 'the report file ends in .html or .pdf'),
      evidencePath: localPath.optional(),
      keyDir: localPath.optional(),
      ...scope,
    })
    .strict()
    .refine(rangeInOrder, RANGE_MESSAGE),
  /** The reports made from this store, newest first, with their hashes. */
  listReports: z.object({}).strict(),
  /** One report's bytes (base64), to preview or save. */
  getReportFile: z.object({ id: z.number().int().positive() }).strict(),
  /** The report signing key's public half and fingerprint (made on first use), for auditors. Local transports only. */
  getSigningKey: z.object({ keyDir: localPath.optional() }).strict(),
  /**
   * Checks a sealed report or evidence bundle byte for byte: hashes, signature, and the signer when pinned. With `checkStore`,
   * also hashes this store's contents in the report's scope from every stored row and compares them with the hash the report
   * carries. Local transports only.
   */
  verifyReport: z.object({ path: localPath, keyFingerprint: fingerprint.optional(), checkStore: z.boolean().optional() }).strict(),
  /** Checks a chain of reports: a folder's (by file name) or, without one, the store's report history. Local transports only. */
  verifyReportChain: z.object({ folder: localPath.optional(), keyFingerprint: fingerprint.optional() }).strict(),
};
