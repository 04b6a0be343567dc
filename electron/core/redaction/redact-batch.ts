/**
 * Redaction of a decoded batch, in place: every string field that is stored passes through the
 * value rules, and every stored-JSON field (attribute maps, events with their names, links with
 * their trace states, bodies, metric metadata, exemplar attributes) through the key and value
 * rules (DESIGN.md: secrets never reach the store). Only IDs, times, numbers and the decoder's
 * own numeric bucket JSON are left alone. Resources and scopes are shared by many items and
 * redacted once each.
 */
import type { DecodedBatch, MetricRecord, ResourceRecord, ScopeRecord } from '../otlp/model.js';
import type { Redactor } from './redactor.js';

export function redactBatch(batch: DecodedBatch, r: Redactor): void {
  const resources = new Map<ResourceRecord, ResourceRecord>();
  const scopes = new Map<ScopeRecord, ScopeRecord>();
  const resource = (res: ResourceRecord): ResourceRecord => {
    let out = resources.get(res);
    if (!out) {
      out = {
        ...res,
        serviceName: r.redactString(res.serviceName),
        attributesJson: r.redactJson(res.attributesJson)!,
        schemaUrl: r.redactString(res.schemaUrl),
      };
      resources.set(res, out);
    }
    return out;
  };
  const scope = (sc: ScopeRecord): ScopeRecord => {
    let out = scopes.get(sc);
    if (!out) {
      out = {
        ...sc,
        name: r.redactString(sc.name),
        version: r.redactString(sc.version),
        attributesJson: r.redactJson(sc.attributesJson)!,
        schemaUrl: r.redactString(sc.schemaUrl),
      };
      scopes.set(sc, out);
    }
    return out;
  };
  const metric = (m: MetricRecord): MetricRecord => ({
    ...m,
    name: r.redactString(m.name),
    description: r.redactString(m.description),
    unit: r.redactString(m.unit),
    metadataJson: r.redactJson(m.metadataJson)!,
  });

  for (const g of batch.spans) {
    g.resource = resource(g.resource);
    g.scope = scope(g.scope);
    for (const s of g.spans) {
      s.name = r.redactString(s.name);
      s.traceState = r.redactString(s.traceState);
      s.statusMessage = r.redactString(s.statusMessage);
      s.attributesJson = r.redactJson(s.attributesJson)!;
      s.eventsJson = r.redactJson(s.eventsJson);
      s.linksJson = r.redactJson(s.linksJson);
    }
  }
  for (const g of batch.metrics) {
    g.resource = resource(g.resource);
    g.scope = scope(g.scope);
    g.metric = metric(g.metric);
    for (const p of g.points) {
      p.attributesJson = r.redactJson(p.attributesJson)!;
      for (const e of p.exemplars) e.filteredAttributesJson = r.redactJson(e.filteredAttributesJson)!;
    }
  }
  for (const g of batch.logs) {
    g.resource = resource(g.resource);
    g.scope = scope(g.scope);
    for (const l of g.logs) {
      l.severityText = r.redactString(l.severityText);
      l.eventName = r.redactString(l.eventName);
      // An event's body is the value of its name: a key rule matching the name (the GenAI
      // message events, gen_ai.user.message or gen_ai.choice, carry prompts and answers in their
      // bodies) redacts the whole body. Older SDKs name the event in an `event.name` attribute.
      const name = l.eventName || eventNameAttribute(l.attributesJson);
      l.attributesJson = r.redactJson(l.attributesJson)!;
      l.bodyJson =
        name && l.bodyJson !== 'null' && r.keyRuleFor(name) !== null ? JSON.stringify(r.redactKeyValue(name, l.bodyJson)) : r.redactJson(l.bodyJson)!;
    }
  }
}

/** The top-level `event.name` attribute of a log record (stored JSON text), or ''. */
function eventNameAttribute(attributesJson: string): string {
  if (!attributesJson.includes('"event.name"')) return '';
  try {
    const v = (JSON.parse(attributesJson) as Record<string, unknown>)['event.name'];
    return typeof v === 'string' ? v : '';
  } catch {
    return '';
  }
}
