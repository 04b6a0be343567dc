/**
 * Resources, scopes and metric descriptions are stored once each (deduplicated by a fingerprint
 * of their content; resources per dataset), and the writer refers to them by row ID. This keeps
 * the IDs it has seen, so a batch's groups cost a map lookup, not a query.
 */
import { createHash } from 'node:crypto';
import type { Db } from './db.js';
import type { MetricRecord, ResourceRecord, ScopeRecord } from '../otlp/model.js';

function fingerprint(...parts: (string | number)[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('base64url').slice(0, 32);
}

export class CatalogIds {
  private readonly resourceIds = new Map<string, number>();
  private readonly scopeIds = new Map<string, number>();
  private readonly metricIds = new Map<string, number>();
  /** Resource and scope row ID → fingerprint, for the span content lines (span-content.ts). */
  private readonly resourceFingerprints = new Map<number, string>();
  private readonly scopeFingerprints = new Map<number, string>();
  private readonly stmt;

  constructor(db: Db) {
    this.stmt = {
      findResource: db.prepare('SELECT id FROM resources WHERE fingerprint = ?').pluck(),
      insertResource: db.prepare(
        'INSERT INTO resources(dataset_id, fingerprint, service_name, attributes, dropped_attributes_count, schema_url) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      findScope: db.prepare('SELECT id FROM scopes WHERE fingerprint = ?').pluck(),
      insertScope: db.prepare('INSERT INTO scopes(fingerprint, name, version, attributes, dropped_attributes_count, schema_url) VALUES (?, ?, ?, ?, ?, ?)'),
      findMetric: db.prepare('SELECT id FROM metrics WHERE fingerprint = ?').pluck(),
      insertMetric: db.prepare(
        'INSERT INTO metrics(fingerprint, name, description, unit, type, aggregation_temporality, is_monotonic, metadata) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      ),
    };
  }

  resource(r: ResourceRecord, datasetId: number): number {
    const key = datasetId + '\u0000' + r.attributesJson + '\u0000' + r.droppedAttributesCount + '\u0000' + r.schemaUrl;
    let id = this.resourceIds.get(key);
    if (id === undefined) {
      const fp = fingerprint(key);
      id =
        (this.stmt.findResource.get(fp) as number | undefined) ??
        Number(this.stmt.insertResource.run(datasetId, fp, r.serviceName, r.attributesJson, r.droppedAttributesCount, r.schemaUrl).lastInsertRowid);
      this.resourceIds.set(key, id);
      this.resourceFingerprints.set(id, fp);
    }
    return id;
  }

  scope(sc: ScopeRecord): number {
    const key = sc.name + '\u0000' + sc.version + '\u0000' + sc.attributesJson + '\u0000' + sc.droppedAttributesCount + '\u0000' + sc.schemaUrl;
    let id = this.scopeIds.get(key);
    if (id === undefined) {
      const fp = fingerprint(key);
      id =
        (this.stmt.findScope.get(fp) as number | undefined) ??
        Number(this.stmt.insertScope.run(fp, sc.name, sc.version, sc.attributesJson, sc.droppedAttributesCount, sc.schemaUrl).lastInsertRowid);
      this.scopeIds.set(key, id);
      this.scopeFingerprints.set(id, fp);
    }
    return id;
  }

  /** The fingerprint of a resource this writer looked up or stored (resource() was called for it). */
  resourceFingerprint(id: number): string {
    return this.resourceFingerprints.get(id)!;
  }

  scopeFingerprint(id: number): string {
    return this.scopeFingerprints.get(id)!;
  }

  metric(m: MetricRecord): number {
    const key = [m.name, m.description, m.unit, m.type, m.aggregationTemporality, m.isMonotonic ? 1 : 0, m.metadataJson].join('\u0000');
    let id = this.metricIds.get(key);
    if (id === undefined) {
      const fp = fingerprint(key);
      id =
        (this.stmt.findMetric.get(fp) as number | undefined) ??
        Number(
          this.stmt.insertMetric.run(fp, m.name, m.description, m.unit, m.type, m.aggregationTemporality, m.isMonotonic ? 1 : 0, m.metadataJson)
            .lastInsertRowid,
        );
      this.metricIds.set(key, id);
    }
    return id;
  }

  /** Forget cached IDs (after retention deleted rows, or a rolled-back transaction). */
  clear(): void {
    this.resourceIds.clear();
    this.scopeIds.clear();
    this.metricIds.clear();
    this.resourceFingerprints.clear();
    this.scopeFingerprints.clear();
  }
}
