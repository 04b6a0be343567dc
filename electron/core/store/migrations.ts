/**
 * Numbered schema migrations. The store's version is SQLite's `user_version`; each migration
 * runs once, in its own transaction, in order. Never edit a migration that has shipped: add
 * the next number.
 *
 * Layout choices (see docs/ARCHITECTURE.md): IDs are BLOBs (16/8 bytes); times are INTEGER
 * nanoseconds; attribute maps, events and links are "stored JSON" text (stored-json.ts), so
 * json_extract reads them and an export rebuilds the exact OTLP types; resources, scopes and
 * metric descriptors are de-duplicated by fingerprint. `traces` is the summary kept at ingest
 * so the trace list never scans spans; `datasets` keeps each dataset's totals so stats never
 * count rows. Dataset 1 is `live` (the receivers); each import gets its own, so the same
 * trace ID can exist once per dataset.
 *
 * Spans are indexed by (trace_seq, span_id), where trace_seq is the trace's rowid, handed
 * out in arrival order. An index on the random 16-byte trace ID would put every insert on a
 * random B-tree page (measured: 54k rows/s); the sequence keeps inserts near the right edge
 * of the index (140k rows/s on the same rows). Only `traces` has the random-key index, and it
 * gets one entry per trace, not per span.
 */
import { sql, type SqlText } from './sql-text.js';
import { BUCKET_OF_START_SQL } from './trace-buckets.js';

export interface Migration {
  version: number;
  name: string;
  sql: SqlText;
}

export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'initial schema: datasets, resources, scopes, spans, traces, metrics, logs',
    sql: sql`
CREATE TABLE datasets (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL,
  source TEXT NOT NULL,
  created_at_ms INTEGER NOT NULL,
  traces INTEGER NOT NULL DEFAULT 0,
  spans INTEGER NOT NULL DEFAULT 0,
  metric_points INTEGER NOT NULL DEFAULT 0,
  log_records INTEGER NOT NULL DEFAULT 0
);
INSERT INTO datasets(id, name, kind, source, created_at_ms) VALUES (1, 'live', 'live', 'OTLP receivers', CAST(unixepoch('subsec') * 1000 AS INTEGER));

CREATE TABLE remote_sources (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL,
  url TEXT NOT NULL,
  token TEXT,
  username TEXT,
  password TEXT,
  created_at_ms INTEGER NOT NULL
);

CREATE TABLE resources (
  id INTEGER PRIMARY KEY,
  dataset_id INTEGER NOT NULL,
  fingerprint TEXT NOT NULL UNIQUE,
  service_name TEXT NOT NULL,
  attributes TEXT NOT NULL,
  dropped_attributes_count INTEGER NOT NULL,
  schema_url TEXT NOT NULL
);
CREATE TABLE scopes (
  id INTEGER PRIMARY KEY,
  fingerprint TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  version TEXT NOT NULL,
  attributes TEXT NOT NULL,
  dropped_attributes_count INTEGER NOT NULL,
  schema_url TEXT NOT NULL
);
CREATE TABLE spans (
  id INTEGER PRIMARY KEY,
  trace_seq INTEGER NOT NULL,
  trace_id BLOB NOT NULL,
  span_id BLOB NOT NULL,
  parent_span_id BLOB,
  resource_id INTEGER NOT NULL,
  scope_id INTEGER NOT NULL,
  name TEXT NOT NULL,
  kind INTEGER NOT NULL,
  start_time_unix_nano INTEGER NOT NULL,
  end_time_unix_nano INTEGER NOT NULL,
  status_code INTEGER NOT NULL,
  status_message TEXT NOT NULL,
  trace_state TEXT NOT NULL,
  flags INTEGER NOT NULL,
  attributes TEXT NOT NULL,
  dropped_attributes_count INTEGER NOT NULL,
  events TEXT,
  dropped_events_count INTEGER NOT NULL,
  links TEXT,
  dropped_links_count INTEGER NOT NULL
);
CREATE UNIQUE INDEX spans_by_trace ON spans(trace_seq, span_id);

CREATE TABLE traces (
  trace_seq INTEGER PRIMARY KEY,
  dataset_id INTEGER NOT NULL,
  trace_id BLOB NOT NULL,
  start_time_unix_nano INTEGER NOT NULL,
  end_time_unix_nano INTEGER NOT NULL,
  span_count INTEGER NOT NULL,
  error_count INTEGER NOT NULL,
  root_service_name TEXT,
  root_span_name TEXT,
  root_span_id BLOB
);
CREATE UNIQUE INDEX traces_by_id ON traces(trace_id, dataset_id);
CREATE INDEX traces_by_start ON traces(dataset_id, start_time_unix_nano);
CREATE TABLE trace_services (
  service_name TEXT NOT NULL,
  trace_seq INTEGER NOT NULL,
  PRIMARY KEY (service_name, trace_seq)
) WITHOUT ROWID;
CREATE INDEX trace_services_by_trace ON trace_services(trace_seq);

CREATE TABLE metrics (
  id INTEGER PRIMARY KEY,
  fingerprint TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  description TEXT NOT NULL,
  unit TEXT NOT NULL,
  type INTEGER NOT NULL,
  aggregation_temporality INTEGER NOT NULL,
  is_monotonic INTEGER NOT NULL,
  metadata TEXT NOT NULL
);
CREATE INDEX metrics_by_name ON metrics(name);
CREATE TABLE metric_points (
  id INTEGER PRIMARY KEY,
  metric_id INTEGER NOT NULL,
  resource_id INTEGER NOT NULL,
  scope_id INTEGER NOT NULL,
  start_time_unix_nano INTEGER NOT NULL,
  time_unix_nano INTEGER NOT NULL,
  attributes TEXT NOT NULL,
  flags INTEGER NOT NULL,
  value_double REAL,
  value_int INTEGER,
  count INTEGER,
  sum REAL,
  min REAL,
  max REAL,
  buckets TEXT
);
CREATE INDEX metric_points_by_metric_time ON metric_points(metric_id, time_unix_nano);
CREATE INDEX metric_points_by_time ON metric_points(time_unix_nano);
CREATE TABLE exemplars (
  point_id INTEGER NOT NULL,
  time_unix_nano INTEGER NOT NULL,
  value_double REAL,
  value_int INTEGER,
  trace_id BLOB,
  span_id BLOB,
  filtered_attributes TEXT NOT NULL
);
CREATE INDEX exemplars_by_point ON exemplars(point_id);
CREATE INDEX exemplars_by_trace ON exemplars(trace_id) WHERE trace_id IS NOT NULL;

CREATE TABLE log_records (
  id INTEGER PRIMARY KEY,
  resource_id INTEGER NOT NULL,
  scope_id INTEGER NOT NULL,
  time_unix_nano INTEGER NOT NULL,
  observed_time_unix_nano INTEGER NOT NULL,
  severity_number INTEGER NOT NULL,
  severity_text TEXT NOT NULL,
  body TEXT NOT NULL,
  attributes TEXT NOT NULL,
  dropped_attributes_count INTEGER NOT NULL,
  flags INTEGER NOT NULL,
  trace_id BLOB,
  span_id BLOB,
  event_name TEXT NOT NULL
);
CREATE INDEX log_records_by_trace ON log_records(trace_id, span_id) WHERE trace_id IS NOT NULL;
CREATE INDEX log_records_by_time ON log_records(time_unix_nano);
`,
  },
  {
    version: 2,
    name: 'ML lens: predictions, ground truth and infrastructure factors extracted at ingest; settings; alert rules and history; report history; redaction counts; imported files with their SHA-256',
    // Derived tables, rebuilt from spans and logs when the attribute mapping changes
    // (ml/reextract.ts). trace_seq joins a prediction to the factors of its own trace.
    // trace_factors holds one row per trace and write batch: its observations packed as
    // float64 pairs (factor id, value), six times fewer rows to read than one per observation.
    sql: sql`
CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
CREATE TABLE predictions (
  id INTEGER PRIMARY KEY,
  dataset_id INTEGER NOT NULL,
  trace_seq INTEGER NOT NULL,
  span_id BLOB NOT NULL,
  time_unix_nano INTEGER NOT NULL,
  duration_ns INTEGER NOT NULL,
  service_name TEXT NOT NULL,
  host TEXT,
  model_name TEXT NOT NULL,
  model_version TEXT NOT NULL,
  score REAL,
  label TEXT,
  confidence REAL,
  prediction_id TEXT,
  features TEXT
);
CREATE INDEX predictions_by_model_time ON predictions(dataset_id, model_name, time_unix_nano);
CREATE INDEX predictions_by_trace ON predictions(trace_seq);
CREATE INDEX predictions_by_prediction_id ON predictions(prediction_id) WHERE prediction_id IS NOT NULL;
CREATE TABLE actuals (
  dataset_id INTEGER NOT NULL,
  prediction_id TEXT NOT NULL,
  time_unix_nano INTEGER NOT NULL,
  label TEXT,
  score REAL
);
CREATE INDEX actuals_by_prediction_id ON actuals(dataset_id, prediction_id);
CREATE TABLE factors (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL,
  name TEXT NOT NULL,
  unit TEXT NOT NULL,
  UNIQUE (kind, name, unit)
);
CREATE TABLE trace_factors (
  trace_seq INTEGER NOT NULL,
  observations BLOB NOT NULL
);
CREATE INDEX trace_factors_by_trace ON trace_factors(trace_seq);
CREATE TABLE alert_rules (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  rule TEXT NOT NULL,
  state TEXT NOT NULL DEFAULT 'inactive',
  since_ms INTEGER,
  value REAL,
  evaluated_at_ms INTEGER
);
CREATE TABLE dataset_files (
  dataset_id INTEGER NOT NULL,
  path TEXT NOT NULL,
  name TEXT NOT NULL,
  bytes INTEGER NOT NULL,
  sha256 TEXT NOT NULL,
  imported_at_ms INTEGER NOT NULL
);
CREATE INDEX dataset_files_by_dataset ON dataset_files(dataset_id);
CREATE TABLE redaction_counts (
  rule TEXT PRIMARY KEY,
  count INTEGER NOT NULL
);
CREATE TABLE reports (
  id INTEGER PRIMARY KEY,
  created_at_ms INTEGER NOT NULL,
  path TEXT NOT NULL,
  format TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  evidence_sha256 TEXT NOT NULL,
  previous_sha256 TEXT,
  query TEXT NOT NULL
);
CREATE TABLE alert_events (
  id INTEGER PRIMARY KEY,
  rule_name TEXT NOT NULL,
  state TEXT NOT NULL,
  value REAL,
  threshold REAL NOT NULL,
  at_ms INTEGER NOT NULL,
  message TEXT NOT NULL
);
`,
  },
  {
    version: 3,
    name: 'a Bloom filter of span attributes per trace, for trace search (attribute-bloom.ts)',
    // NULL on traces stored before: "not indexed", which searches test exactly until the
    // writer fills them in, in slices (attribute-bloom-backfill.ts), found by the partial index.
    sql: sql`
ALTER TABLE traces ADD COLUMN attr_bloom_0 INTEGER;
ALTER TABLE traces ADD COLUMN attr_bloom_1 INTEGER;
ALTER TABLE traces ADD COLUMN attr_bloom_2 INTEGER;
ALTER TABLE traces ADD COLUMN attr_bloom_3 INTEGER;
CREATE INDEX traces_without_bloom ON traces(trace_seq) WHERE attr_bloom_0 IS NULL;
`,
  },
  {
    version: 4,
    name: 'repair stored values SQLite cannot read (nested deeper than its JSON limit, written before the ingest limit of item-limits.ts)',
    // One pass of json_valid (about 0.25 s per million rows): a value SQLite's JSON functions
    // cannot read would make every search that touches it fail. Such rows get a marker.
    sql: sql`
UPDATE spans SET attributes = '{"sightline.unreadable":"[a value nested too deep to store was removed]"}' WHERE NOT json_valid(attributes);
UPDATE spans SET events = '[]' WHERE events IS NOT NULL AND NOT json_valid(events);
UPDATE spans SET links = '[]' WHERE links IS NOT NULL AND NOT json_valid(links);
UPDATE resources SET attributes = '{"sightline.unreadable":"[a value nested too deep to store was removed]"}' WHERE NOT json_valid(attributes);
UPDATE scopes SET attributes = '{}' WHERE NOT json_valid(attributes);
UPDATE log_records SET body = '"[a value nested too deep to store was removed]"' WHERE NOT json_valid(body);
UPDATE log_records SET attributes = '{"sightline.unreadable":"[a value nested too deep to store was removed]"}' WHERE NOT json_valid(attributes);
UPDATE metric_points SET attributes = '{}' WHERE NOT json_valid(attributes);
UPDATE exemplars SET filtered_attributes = '{}' WHERE NOT json_valid(filtered_attributes);
`,
  },
  {
    version: 5,
    name: 'GenAI quality signals of language model calls, their evaluation results and retrievals (genai-signals.ts)',
    // Evaluations are keyed by the evaluated span (their log records can arrive before or after
    // it); a retrieval's documents by its trace, as the model call that used them is a sibling.
    sql: sql`
ALTER TABLE predictions ADD COLUMN quality TEXT;
ALTER TABLE predictions ADD COLUMN operation TEXT;
ALTER TABLE predictions ADD COLUMN finish_reason TEXT;
CREATE TABLE evaluations (
  dataset_id INTEGER NOT NULL,
  span_id BLOB NOT NULL,
  time_unix_nano INTEGER NOT NULL,
  name TEXT NOT NULL,
  score REAL,
  label TEXT
);
CREATE INDEX evaluations_by_span ON evaluations(dataset_id, span_id);
CREATE INDEX evaluations_by_time ON evaluations(dataset_id, time_unix_nano);
CREATE TABLE retrievals (
  dataset_id INTEGER NOT NULL,
  trace_seq INTEGER NOT NULL,
  time_unix_nano INTEGER NOT NULL,
  duration_ns INTEGER NOT NULL,
  documents INTEGER NOT NULL
);
CREATE INDEX retrievals_by_trace ON retrievals(trace_seq);
CREATE INDEX retrievals_by_dataset ON retrievals(dataset_id);
`,
  },
  {
    version: 6,
    name: 'Predictions packed as columns in blocks for the analysis (ml/pack-predictions.ts), dropped when what they hold changes',
    // A block holds every prediction of one model with an id in [first_id, last_id], and the
    // factor observations of their traces (trace_seq in [min_trace_seq, max_trace_seq]); blocks
    // of a model follow each other, so the rows after the last block are the unpacked tail.
    // Any update or delete of a prediction drops its model's blocks, and a factor observation
    // written, changed or deleted for a trace in a block's range drops that block and the
    // model's later ones (the analysis then reads rows until the writer packs them again): a
    // block can be missing, never stale. prediction_changes counts updates and deletes of
    // predictions, so a writer knows its copy of a model's unpacked rows may be out of date. A rowid table: its rows are megabytes (blobs go to
    // overflow pages), which a WITHOUT ROWID table handles badly.
    sql: sql`
CREATE TABLE prediction_blocks (
  dataset_id INTEGER NOT NULL,
  model_name TEXT NOT NULL,
  first_id INTEGER NOT NULL,
  last_id INTEGER NOT NULL,
  rows INTEGER NOT NULL,
  min_time_unix_nano INTEGER NOT NULL,
  max_time_unix_nano INTEGER NOT NULL,
  min_trace_seq INTEGER NOT NULL,
  max_trace_seq INTEGER NOT NULL,
  columns BLOB NOT NULL,
  factors BLOB NOT NULL
);
CREATE UNIQUE INDEX prediction_blocks_by_model ON prediction_blocks(dataset_id, model_name, first_id);
CREATE INDEX prediction_blocks_by_trace ON prediction_blocks(max_trace_seq, min_trace_seq);
CREATE TABLE prediction_changes (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  count INTEGER NOT NULL
);
INSERT INTO prediction_changes(id, count) VALUES (1, 0);
CREATE TRIGGER prediction_blocks_on_update AFTER UPDATE ON predictions BEGIN
  DELETE FROM prediction_blocks WHERE (dataset_id = OLD.dataset_id AND model_name = OLD.model_name) OR (dataset_id = NEW.dataset_id AND model_name = NEW.model_name);
  UPDATE prediction_changes SET count = count + 1 WHERE id = 1;
END;
CREATE TRIGGER prediction_blocks_on_delete AFTER DELETE ON predictions BEGIN
  DELETE FROM prediction_blocks WHERE dataset_id = OLD.dataset_id AND model_name = OLD.model_name;
  UPDATE prediction_changes SET count = count + 1 WHERE id = 1;
END;
CREATE TRIGGER prediction_blocks_on_factors_insert AFTER INSERT ON trace_factors
WHEN EXISTS (SELECT 1 FROM prediction_blocks WHERE max_trace_seq >= NEW.trace_seq AND min_trace_seq <= NEW.trace_seq) BEGIN
  DELETE FROM prediction_blocks WHERE EXISTS (SELECT 1 FROM prediction_blocks h
    WHERE h.max_trace_seq >= NEW.trace_seq AND h.min_trace_seq <= NEW.trace_seq AND h.dataset_id = prediction_blocks.dataset_id AND h.model_name = prediction_blocks.model_name AND h.first_id <= prediction_blocks.first_id
    AND EXISTS (SELECT 1 FROM predictions p WHERE p.trace_seq = NEW.trace_seq AND p.dataset_id = h.dataset_id AND p.model_name = h.model_name AND p.id BETWEEN h.first_id AND h.last_id));
END;
CREATE TRIGGER prediction_blocks_on_factors_update AFTER UPDATE ON trace_factors
WHEN EXISTS (SELECT 1 FROM prediction_blocks WHERE max_trace_seq >= min(OLD.trace_seq, NEW.trace_seq) AND min_trace_seq <= max(OLD.trace_seq, NEW.trace_seq)) BEGIN
  DELETE FROM prediction_blocks WHERE EXISTS (SELECT 1 FROM prediction_blocks h
    WHERE h.max_trace_seq >= min(OLD.trace_seq, NEW.trace_seq) AND h.min_trace_seq <= max(OLD.trace_seq, NEW.trace_seq) AND h.dataset_id = prediction_blocks.dataset_id AND h.model_name = prediction_blocks.model_name AND h.first_id <= prediction_blocks.first_id
    AND EXISTS (SELECT 1 FROM predictions p WHERE p.trace_seq IN (OLD.trace_seq, NEW.trace_seq) AND p.dataset_id = h.dataset_id AND p.model_name = h.model_name AND p.id BETWEEN h.first_id AND h.last_id));
END;
CREATE TRIGGER prediction_blocks_on_factors_delete AFTER DELETE ON trace_factors
WHEN EXISTS (SELECT 1 FROM prediction_blocks WHERE max_trace_seq >= OLD.trace_seq AND min_trace_seq <= OLD.trace_seq) BEGIN
  DELETE FROM prediction_blocks WHERE EXISTS (SELECT 1 FROM prediction_blocks h
    WHERE h.max_trace_seq >= OLD.trace_seq AND h.min_trace_seq <= OLD.trace_seq AND h.dataset_id = prediction_blocks.dataset_id AND h.model_name = prediction_blocks.model_name AND h.first_id <= prediction_blocks.first_id
    AND EXISTS (SELECT 1 FROM predictions p WHERE p.trace_seq = OLD.trace_seq AND p.dataset_id = h.dataset_id AND p.model_name = h.model_name AND p.id BETWEEN h.first_id AND h.last_id));
END;
`,
  },
  {
    version: 7,
    name: 'The SHA-256 of each full chunk of 65,536 row IDs of spans, predictions, log records and metric points, kept at ingest for the store hash of reports (store/content-chunks.ts)',
    // A chunk's row: its section (1 spans, 2 predictions, 3 log records, 4 metric points), how
    // many rows it has, their dataset (NULL when more than one), the range of their times, and
    // the hash of their lines in row order. Any update or delete of a row drops its chunk's
    // hash (a report then hashes that chunk from the rows), and so does a change to what the
    // lines take from other tables (a trace's dataset; a resource's dataset or fingerprint; a
    // scope's or metric's fingerprint): a stored hash can be missing, never stale. span_changes
    // counts span changes, so the writer knows its running hash of the newest span chunk may no
    // longer match the rows.
    sql: sql`
CREATE TABLE chunk_hashes (
  section INTEGER NOT NULL,
  chunk INTEGER NOT NULL,
  rows INTEGER NOT NULL,
  dataset_id INTEGER,
  min_time_unix_nano INTEGER NOT NULL,
  max_time_unix_nano INTEGER NOT NULL,
  sha256 TEXT NOT NULL,
  PRIMARY KEY (section, chunk)
) WITHOUT ROWID;
CREATE TABLE span_changes (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  deletes INTEGER NOT NULL,
  rewrites INTEGER NOT NULL
);
INSERT INTO span_changes(id, deletes, rewrites) VALUES (1, 0, 0);
CREATE TRIGGER chunk_hashes_on_span_update AFTER UPDATE ON spans BEGIN
  DELETE FROM chunk_hashes WHERE section = 1 AND chunk IN (OLD.id >> 16, NEW.id >> 16);
  UPDATE span_changes SET rewrites = rewrites + 1 WHERE id = 1;
END;
CREATE TRIGGER chunk_hashes_on_span_delete AFTER DELETE ON spans BEGIN
  DELETE FROM chunk_hashes WHERE section = 1 AND chunk = OLD.id >> 16;
  UPDATE span_changes SET deletes = deletes + 1 WHERE id = 1;
END;
CREATE TRIGGER chunk_hashes_on_prediction_update AFTER UPDATE ON predictions BEGIN
  DELETE FROM chunk_hashes WHERE section = 2 AND chunk IN (OLD.id >> 16, NEW.id >> 16);
END;
CREATE TRIGGER chunk_hashes_on_prediction_delete AFTER DELETE ON predictions BEGIN
  DELETE FROM chunk_hashes WHERE section = 2 AND chunk = OLD.id >> 16;
END;
CREATE TRIGGER chunk_hashes_on_log_update AFTER UPDATE ON log_records BEGIN
  DELETE FROM chunk_hashes WHERE section = 3 AND chunk IN (OLD.id >> 16, NEW.id >> 16);
END;
CREATE TRIGGER chunk_hashes_on_log_delete AFTER DELETE ON log_records BEGIN
  DELETE FROM chunk_hashes WHERE section = 3 AND chunk = OLD.id >> 16;
END;
CREATE TRIGGER chunk_hashes_on_point_update AFTER UPDATE ON metric_points BEGIN
  DELETE FROM chunk_hashes WHERE section = 4 AND chunk IN (OLD.id >> 16, NEW.id >> 16);
END;
CREATE TRIGGER chunk_hashes_on_point_delete AFTER DELETE ON metric_points BEGIN
  DELETE FROM chunk_hashes WHERE section = 4 AND chunk = OLD.id >> 16;
END;
CREATE TRIGGER chunk_hashes_on_trace_dataset AFTER UPDATE OF dataset_id ON traces BEGIN
  DELETE FROM chunk_hashes WHERE section = 1;
  UPDATE span_changes SET rewrites = rewrites + 1 WHERE id = 1;
END;
CREATE TRIGGER chunk_hashes_on_resource AFTER UPDATE OF fingerprint, dataset_id ON resources BEGIN
  DELETE FROM chunk_hashes WHERE section IN (1, 3, 4);
  UPDATE span_changes SET rewrites = rewrites + 1 WHERE id = 1;
END;
CREATE TRIGGER chunk_hashes_on_scope AFTER UPDATE OF fingerprint ON scopes BEGIN
  DELETE FROM chunk_hashes WHERE section = 1;
  UPDATE span_changes SET rewrites = rewrites + 1 WHERE id = 1;
END;
CREATE TRIGGER chunk_hashes_on_metric AFTER UPDATE OF fingerprint ON metrics BEGIN
  DELETE FROM chunk_hashes WHERE section = 4;
END;
`,
  },
  {
    version: 8,
    name: 'Ten-minute summaries of the traces (duration bounds, errors, services) that let a search skip stretches of time where nothing can match (store/trace-buckets.ts)',
    // A summary may be looser than its traces, never narrower: the writer widens a bucket's row
    // whenever it stores or extends a trace that starts in it, and deletes leave rows as they were.
    sql: sql`
CREATE TABLE trace_buckets (
  dataset_id INTEGER NOT NULL,
  bucket INTEGER NOT NULL,
  min_duration_ns INTEGER NOT NULL,
  max_duration_ns INTEGER NOT NULL,
  max_errors INTEGER NOT NULL,
  PRIMARY KEY (dataset_id, bucket)
) WITHOUT ROWID;
CREATE TABLE trace_bucket_services (
  dataset_id INTEGER NOT NULL,
  service_name TEXT NOT NULL,
  bucket INTEGER NOT NULL,
  PRIMARY KEY (dataset_id, service_name, bucket)
) WITHOUT ROWID;
INSERT INTO trace_buckets(dataset_id, bucket, min_duration_ns, max_duration_ns, max_errors)
  SELECT t.dataset_id, ${BUCKET_OF_START_SQL}, min(t.end_time_unix_nano - t.start_time_unix_nano), max(t.end_time_unix_nano - t.start_time_unix_nano), max(t.error_count)
  FROM traces t GROUP BY 1, 2;
INSERT OR IGNORE INTO trace_bucket_services(dataset_id, service_name, bucket)
  SELECT t.dataset_id, ts.service_name, ${BUCKET_OF_START_SQL} FROM trace_services ts JOIN traces t ON t.trace_seq = ts.trace_seq;
`,
  },
  {
    version: 9,
    name: "Huge traces' sorted outlines, kept so the waterfall pages through them without reading every span again (store/stored-outlines.ts)",
    // A row belongs to one state of its trace: its span count when it was read. A trace that
    // gains spans has another count; one whose spans are rewritten or deleted, or that is
    // deleted itself, loses its row (the triggers), so a stored row is never stale. The partial
    // index holds only the huge traces (more than 5,000 spans: FULL_DETAIL_MAX_SPANS, written
    // out here since a shipped migration must not change), so the keeper finds them without
    // scanning every trace (8.7 s from a cold disk for the 2.5M traces of bench:report's store)
    // and writes of small traces never touch it.
    sql: sql`
CREATE TABLE trace_outlines (
  trace_seq INTEGER PRIMARY KEY,
  trace_id BLOB NOT NULL,
  span_count INTEGER NOT NULL,
  outline BLOB NOT NULL
);
CREATE TRIGGER trace_outlines_on_trace_delete AFTER DELETE ON traces BEGIN
  DELETE FROM trace_outlines WHERE trace_seq = OLD.trace_seq;
END;
CREATE TRIGGER trace_outlines_on_span_delete AFTER DELETE ON spans BEGIN
  DELETE FROM trace_outlines WHERE trace_seq = OLD.trace_seq;
END;
CREATE TRIGGER trace_outlines_on_span_update AFTER UPDATE ON spans BEGIN
  DELETE FROM trace_outlines WHERE trace_seq IN (OLD.trace_seq, NEW.trace_seq);
END;
CREATE INDEX traces_huge ON traces(span_count) WHERE span_count > 5000;
`,
  },
  {
    version: 10,
    name: 'Each prediction with its ground truth (the latest actual of its ID in its dataset), kept by triggers, so quality per window is a range scan (analysis/ground-truth.ts)',
    // One row per prediction that has an actual: what the analysis groups (the prediction's
    // model, time, service, version, label and score, and the actual's label and score), in
    // the model/time order it reads. The triggers keep it equal to the join it replaces:
    // predictions JOIN (the max-rowid actual per dataset and prediction ID), whatever arrives
    // first: an actual's insert pairs it with its predictions (SQLite gives a new row the highest
    // rowid), any other change to an actual pairs its ID again from what is left (by rowid
    // order only: VACUUM may renumber the rowids of a table without an INTEGER PRIMARY KEY, so
    // none is stored), and a prediction's change pairs that prediction again. The backfill is
    // the join itself. Writers must use plain INSERT/UPDATE/DELETE on both tables: an outer
    // `INSERT OR IGNORE` or `OR REPLACE` overrides the triggers' own conflict clauses (and a
    // REPLACE deletes rows without firing delete triggers). Cost at ingest: ~9 µs per actual
    // and an index probe per prediction with an ID (an import of 100k predictions and 50k
    // actuals took 4.8% longer).
    sql: sql`
CREATE TABLE ground_truth (
  dataset_id INTEGER NOT NULL,
  model_name TEXT NOT NULL,
  time_unix_nano INTEGER NOT NULL,
  prediction_rowid INTEGER NOT NULL,
  service_name TEXT NOT NULL,
  model_version TEXT NOT NULL,
  label TEXT,
  score REAL,
  actual_label TEXT,
  actual_score REAL,
  PRIMARY KEY (dataset_id, model_name, time_unix_nano, prediction_rowid)
) WITHOUT ROWID;
CREATE UNIQUE INDEX ground_truth_by_prediction ON ground_truth(prediction_rowid);
INSERT INTO ground_truth
  SELECT p.dataset_id, p.model_name, p.time_unix_nano, p.id, p.service_name, p.model_version, p.label, p.score, a.label, a.score
  FROM (SELECT dataset_id, prediction_id, label, score, max(rowid) FROM actuals GROUP BY dataset_id, prediction_id) a
  JOIN predictions p ON p.prediction_id = a.prediction_id AND p.dataset_id = a.dataset_id;
CREATE TRIGGER ground_truth_on_actual_insert AFTER INSERT ON actuals BEGIN
  INSERT OR REPLACE INTO ground_truth
    SELECT p.dataset_id, p.model_name, p.time_unix_nano, p.id, p.service_name, p.model_version, p.label, p.score, NEW.label, NEW.score
    FROM predictions p
    WHERE p.prediction_id = NEW.prediction_id AND p.dataset_id = NEW.dataset_id;
END;
CREATE TRIGGER ground_truth_on_actual_delete AFTER DELETE ON actuals BEGIN
  DELETE FROM ground_truth WHERE prediction_rowid IN (SELECT id FROM predictions WHERE prediction_id = OLD.prediction_id AND dataset_id = OLD.dataset_id);
  INSERT INTO ground_truth
    SELECT p.dataset_id, p.model_name, p.time_unix_nano, p.id, p.service_name, p.model_version, p.label, p.score, a.label, a.score
    FROM predictions p, (SELECT label, score FROM actuals WHERE dataset_id = OLD.dataset_id AND prediction_id = OLD.prediction_id ORDER BY rowid DESC LIMIT 1) a
    WHERE p.prediction_id = OLD.prediction_id AND p.dataset_id = OLD.dataset_id;
END;
CREATE TRIGGER ground_truth_on_actual_update AFTER UPDATE ON actuals BEGIN
  DELETE FROM ground_truth WHERE prediction_rowid IN (SELECT id FROM predictions
    WHERE (prediction_id = OLD.prediction_id AND dataset_id = OLD.dataset_id) OR (prediction_id = NEW.prediction_id AND dataset_id = NEW.dataset_id));
  INSERT INTO ground_truth
    SELECT p.dataset_id, p.model_name, p.time_unix_nano, p.id, p.service_name, p.model_version, p.label, p.score, a.label, a.score
    FROM predictions p JOIN actuals a ON a.rowid = (SELECT max(rowid) FROM actuals WHERE dataset_id = p.dataset_id AND prediction_id = p.prediction_id)
    WHERE (p.prediction_id = OLD.prediction_id AND p.dataset_id = OLD.dataset_id) OR (p.prediction_id = NEW.prediction_id AND p.dataset_id = NEW.dataset_id);
END;
CREATE TRIGGER ground_truth_on_prediction_insert AFTER INSERT ON predictions WHEN NEW.prediction_id IS NOT NULL BEGIN
  INSERT OR REPLACE INTO ground_truth
    SELECT NEW.dataset_id, NEW.model_name, NEW.time_unix_nano, NEW.id, NEW.service_name, NEW.model_version, NEW.label, NEW.score, a.label, a.score
    FROM actuals a WHERE a.dataset_id = NEW.dataset_id AND a.prediction_id = NEW.prediction_id ORDER BY a.rowid DESC LIMIT 1;
END;
CREATE TRIGGER ground_truth_on_prediction_delete AFTER DELETE ON predictions BEGIN
  DELETE FROM ground_truth WHERE prediction_rowid = OLD.id;
END;
CREATE TRIGGER ground_truth_on_prediction_update AFTER UPDATE ON predictions BEGIN
  DELETE FROM ground_truth WHERE prediction_rowid = OLD.id;
  INSERT INTO ground_truth
    SELECT NEW.dataset_id, NEW.model_name, NEW.time_unix_nano, NEW.id, NEW.service_name, NEW.model_version, NEW.label, NEW.score, a.label, a.score
    FROM actuals a WHERE NEW.prediction_id IS NOT NULL AND a.dataset_id = NEW.dataset_id AND a.prediction_id = NEW.prediction_id ORDER BY a.rowid DESC LIMIT 1;
END;
`,
  },
];

/**
 * The last version that changed what the ML index holds (2: predictions, actuals and trace
 * factors; 5: GenAI quality signals, evaluations, retrievals, and the GenAI model mapping).
 * Stores from before it are re-indexed once from their spans and logs (ml/refill-old-stores.ts).
 */
export const ML_SCHEMA_VERSION = 5;

export const LATEST_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;
