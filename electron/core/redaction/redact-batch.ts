/**
 * Redaction before anything is written: every attribute map, event, link, log body and status
 * message of a decoded batch, in place (DESIGN.md: secrets never reach the store). Called by
 * the batch writer inside its transaction, for receivers and importers alike.
 */
import type { DecodedBatch, ResourceRecord, ScopeRecord } from '../otlp/model.js';
import type { Redactor } from './redactor.js';

export function redactBatch(batch: DecodedBatch, r: Redactor): void {
  const resource = (res: ResourceRecord): ResourceRecord => {
    const a = r.redactJson(res.attributesJson)!;
    return a === res.attributesJson ? res : { ...res, attributesJson: a };
  };
  const scope = (sc: ScopeRecord): ScopeRecord => {
    const a = r.redactJson(sc.attributesJson)!;
    return a === sc.attributesJson ? sc : { ...sc, attributesJson: a };
  };
  for (const g of batch.spans) {
    g.resource = resource(g.resource);
    g.scope = scope(g.scope);
    for (const s of g.spans) {
      s.attributesJson = r.redactJson(s.attributesJson)!;
      s.eventsJson = r.redactJson(s.eventsJson);
      s.linksJson = r.redactJson(s.linksJson);
      if (s.statusMessage) s.statusMessage = r.redactString(s.statusMessage);
      if (s.name.length > 2) s.name = r.redactString(s.name);
    }
  }
  for (const g of batch.metrics) {
    g.resource = resource(g.resource);
    g.scope = scope(g.scope);
    for (const p of g.points) {
      p.attributesJson = r.redactJson(p.attributesJson)!;
      for (const e of p.exemplars) e.filteredAttributesJson = r.redactJson(e.filteredAttributesJson)!;
    }
  }
  for (const g of batch.logs) {
    g.resource = resource(g.resource);
    g.scope = scope(g.scope);
    for (const l of g.logs) {
      l.attributesJson = r.redactJson(l.attributesJson)!;
      l.bodyJson = r.redactJson(l.bodyJson)!;
    }
  }
}
