/**
 * The decode worker works out what the ML index takes from each span of a redacted batch
 * (ml/span-facts.ts), so the writer only inserts it. The attribute mapping is re-read once per
 * request from the decode worker's read-only connection (decoder-store.ts; one indexed lookup), like the
 * redaction rules (decoder-redaction.ts), and the batch says which mapping its facts are under:
 * the writer, which re-reads the mapping once per transaction, uses them only when it has the
 * same one, and works them out itself otherwise (as it does for batches that come without).
 */
import type { Db } from '../store/db.js';
import type { DecoderStore } from './decoder-store.js';
import type { DecodedBatch, SpanFacts } from '../otlp/model.js';
import { mergeMapping, type MlAttributeMapping } from '../../../shared/model/ml-mapping.js';
import { mappingPrefilter } from '../ml/extract-prediction.js';
import { loadUserMapping, ML_MAPPING_KEY } from '../ml/mapping-settings.js';
import { spanFacts } from '../ml/span-facts.js';

const factsJson = (f: SpanFacts | null): string => (f === null ? 'null' : JSON.stringify(f));

export class DecoderMlFacts {
  private readMapping: { db: Db; read: () => string | null } | null = null;
  private under: { text: string | null; mapping: MlAttributeMapping; prefilter: RegExp } | null = null;

  constructor(private readonly store: DecoderStore) {}

  /**
   * Sets `batch.spanFacts` for a batch of spans already redacted (facts are of the stored
   * span); leaves the batch for the writer when it is not, or when the store cannot be read.
   */
  annotate(batch: DecodedBatch): void {
    if (!batch.redacted || batch.spans.length === 0) return;
    let text: string | null;
    try {
      const db = this.store.reader();
      if (!db) return;
      if (this.readMapping?.db !== db) {
        const read = db.prepare('SELECT value FROM settings WHERE key = ?').pluck();
        this.readMapping = { db, read: () => (read.get(ML_MAPPING_KEY) as string | undefined) ?? null };
      }
      text = this.readMapping.read();
    } catch {
      this.close();
      return;
    }
    try {
      if (!this.under || this.under.text !== text) {
        const mapping = mergeMapping(loadUserMapping(text ?? undefined));
        this.under = { text, mapping, prefilter: mappingPrefilter(mapping) };
      }
      const { mapping, prefilter } = this.under;
      // Each span's facts printed as they are made, so a big batch never holds them all as objects.
      const parts: string[] = [];
      for (const group of batch.spans) for (const span of group.spans) parts.push(factsJson(spanFacts(span, mapping, prefilter)));
      batch.spanFacts = { mapping: text, json: `[${parts.join(',')}]` };
    } catch {
      // Whatever failed here, the writer works the facts out (and refuses the request if it fails too).
      delete batch.spanFacts;
    }
  }

  close(): void {
    this.store.close();
    this.readMapping = null;
  }
}
