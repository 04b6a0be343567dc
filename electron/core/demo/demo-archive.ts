/**
 * Where the incident demo lives. The archive is generated at build time by the scenario
 * generator (scripts/make-demo.ts → dist/demo/), never written by hand or committed.
 */
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

export const DEMO_DATASET = 'demo: ranker incident';
export const DEMO_FILE_NAME = 'ranker-incident.otlp.jsonl.gz';

/** The demo archive beside the built app (dist/app → dist/demo), or null when it was not built. */
export function demoArchivePath(): string | null {
  const candidates = [new URL(`../demo/${DEMO_FILE_NAME}`, import.meta.url), new URL(`../../../dist/demo/${DEMO_FILE_NAME}`, import.meta.url)];
  for (const url of candidates) {
    const file = fileURLToPath(url);
    if (fs.existsSync(file)) return file;
  }
  return null;
}
