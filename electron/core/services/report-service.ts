/**
 * Sealed audit reports: made in a worker thread (beside the store for the UI, at a path of the
 * caller's choosing for the CLI and the desktop app), listed, read, and verified byte for byte.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ApiRequestError, type ApiImplementation } from '../../../shared/api/contract.js';
import type { ReportResult, ReportScope } from '../../../shared/model/report.js';
import { listDatasets } from '../store/datasets.js';
import { listReportHistory } from '../reports/make-report.js';
import { loadOrCreateSigningKey } from '../reports/signing-key.js';
import { storeKeyDir } from '../util/app-paths.js';
import { verifyReportBytes } from '../reports/verify-report.js';
import { checkStoreContents } from '../reports/verify-store.js';
import { checkChain } from '../reports/report-chain.js';
import { chainFromFolder, chainFromStore } from '../reports/chain-sources.js';
import type { CoreContext } from './core-context.js';

type ReportMethods = 'createReport' | 'writeReport' | 'listReports' | 'getReportFile' | 'getSigningKey' | 'verifyReport' | 'verifyReportChain';

interface ScopeRequest {
  datasetId?: number | undefined;
  service?: string | undefined;
  model?: string | undefined;
  fromMs?: number | undefined;
  toMs?: number | undefined;
}

export function reportService(ctx: CoreContext): Pick<ApiImplementation, ReportMethods> {
  const { reader } = ctx;
  const scopeOf = (r: ScopeRequest): ReportScope => {
    const datasetName = r.datasetId !== undefined ? listDatasets(reader).find((d) => d.id === r.datasetId)?.name : undefined;
    if (r.datasetId !== undefined && !datasetName) throw new ApiRequestError(`no dataset ${r.datasetId}`);
    return { fromMs: r.fromMs ?? null, toMs: r.toMs ?? null, service: r.service ?? null, model: r.model ?? null, datasetName: datasetName ?? null };
  };
  const progress = (file: string) => (step: string) => ctx.events.emit({ type: 'report', file, step });
  return {
    createReport: async (r) => {
      const result = await ctx.runJob<ReportResult>({ kind: 'report', scope: scopeOf(r), datasetId: r.datasetId, format: r.format }, progress('report'));
      const entry = listReportHistory(reader).find((e) => e.sha256 === result.sha256);
      if (!entry) throw new Error(`the report ${result.file} was made but not recorded in the store`);
      return entry;
    },
    writeReport: (r) =>
      ctx.runJob<ReportResult>(
        {
          kind: 'report',
          scope: scopeOf(r),
          datasetId: r.datasetId,
          format: /\.pdf$/i.test(r.outPath) ? 'pdf' : 'html',
          outFile: r.outPath,
          evidenceFile: r.evidencePath,
          keyDir: r.keyDir,
        },
        progress(r.outPath),
      ),
    listReports: () => listReportHistory(reader),
    getReportFile: (r) => {
      const entry = listReportHistory(reader).find((e) => e.id === r.id);
      if (!entry) throw new ApiRequestError(`no report ${r.id}`);
      if (!fs.existsSync(entry.path)) throw new ApiRequestError(`${entry.path} is not on disk any more`);
      return {
        name: path.basename(entry.path),
        mime: entry.format === 'pdf' ? 'application/pdf' : 'text/html',
        base64: fs.readFileSync(entry.path).toString('base64'),
      };
    },
    getSigningKey: (r) => {
      const key = loadOrCreateSigningKey(r.keyDir ?? storeKeyDir(ctx.dbPath));
      return { publicKeyPem: key.publicKeyPem, fingerprint: key.fingerprint };
    },
    verifyReport: async (r) => {
      if (!fs.existsSync(r.path)) throw new ApiRequestError(`${r.path}: no such file`);
      if (fs.statSync(r.path).isDirectory()) throw new ApiRequestError(`${r.path} is a folder (a chain of reports in a folder is checked with verify --chain)`);
      let result;
      let bytes: Buffer;
      try {
        bytes = fs.readFileSync(r.path);
        result = verifyReportBytes(bytes, r.keyFingerprint);
      } catch (e) {
        throw new ApiRequestError((e as Error).message);
      }
      if (r.checkStore) {
        result.checks.push(await checkStoreContents(bytes, { dbPath: ctx.dbPath, reader, nativeBinding: ctx.nativeBinding }));
        result.ok = result.checks.every((c) => c.ok);
      }
      return {
        ok: result.ok,
        checks: result.checks,
        keyFingerprint: result.seal?.keyFingerprint ?? null,
        previousReportSha256: result.seal?.previousReportSha256 ?? null,
      };
    },
    verifyReportChain: (r) => {
      if (r.folder !== undefined && !(fs.existsSync(r.folder) && fs.statSync(r.folder).isDirectory())) {
        throw new ApiRequestError(`${r.folder} is not a folder (a chain is a folder of reports, or the store's report history)`);
      }
      let links;
      try {
        links = r.folder !== undefined ? chainFromFolder(r.folder, r.keyFingerprint) : chainFromStore(reader, r.keyFingerprint);
      } catch (e) {
        throw new ApiRequestError(`cannot read the reports: ${(e as Error).message}`); // a file it may not read, a folder that went away
      }
      const source = r.folder !== undefined ? `folder ${r.folder}` : `the report history of ${ctx.dbPath}`;
      return { ...checkChain(links), source };
    },
  };
}
