/**
 * Infrastructure factors observed in one span: how long a storage, GPU, network or queue call
 * took, GPU and latency measurements in its attributes, errors and timeouts, fallback and
 * default-feature events. The analysis joins them to the predictions of the same trace.
 *
 * Classification goes by OpenTelemetry semantic conventions first (db.*, aws.s3.*, rpc.*,
 * messaging.*, http client spans, gpu.* / hw.gpu.*), then by names (storage_latency_ms,
 * queue.wait_ms). Spans without any hint are skipped after a regular-expression check on
 * their raw attribute text, so the ingest path parses few of them.
 */
import type { FactorKind } from '../../../shared/model/factor-kinds.js';
import type { FactorObservation } from '../../../shared/model/span-facts.js';

export type { FactorObservation };
import type { AttributeMap } from './extract-prediction.js';
import { isGenerationSpan } from './genai-signals.js';

export interface SpanForFactors {
  name: string;
  kind: number;
  durationMs: number;
  statusCode: number;
  statusMessage: string;
  attributesJson: string;
  eventsJson: string | null;
}

const SPAN_KIND_CLIENT = 3;
const SPAN_KIND_PRODUCER = 4;
const SPAN_KIND_CONSUMER = 5;
const STATUS_ERROR = 2;

const ATTRIBUTE_HINT =
  /"(db\.|rpc\.|aws\.|gpu\.|hw\.gpu|messaging\.|http\.|url\.full|server\.address|peer\.service)|latency|_ms"|wait|queue|fallback|timeout|throttl|storage|retriev/i;
const TIMEOUT = /time[d_ -]?out|deadline/i;
/** Event names that say a request degraded: a fallback model, default features or values. */
const FALLBACK = /fallback|default/i;

/**
 * Whether any attribute could change what classifyFactors finds beyond what the span's name,
 * kind, status and events give: a key with a class prefix (db., aws.s3., gpu., hw.gpu.,
 * messaging.), a key whose value names the target (rpc.service, peer.service, server.address),
 * the error type or the GenAI operation (a model generating, a retriever), or a measurement key. Tested on the raw stored JSON, where every key
 * appears quoted and unescaped but for `"`, `\` and control characters (none of which these
 * names contain), so it never says no wrongly; a value that happens to match only costs a
 * parse. Most client spans carry none of these, and are classified without parsing
 * their attributes (a JSON.parse per span was a quarter of the writer's time).
 */
const ATTRIBUTES_THAT_CLASSIFY =
  /"(?:db\.|aws\.s3\.|gpu\.|hw\.gpu\.|messaging\.|rpc\.service"|peer\.service"|server\.address"|error\.type"|gen_ai\.operation\.name"|llm\.request\.type"|openinference\.span\.kind")|latency|_ms"|\.ms"|wait|utiliz|temperature|throttl|clock|power|memory/i;

/** Whether the span's attributes must be parsed to classify it (see ATTRIBUTES_THAT_CLASSIFY). */
export function factorsNeedAttributes(attributesJson: string): boolean {
  return ATTRIBUTES_THAT_CLASSIFY.test(attributesJson);
}

/** Whether the span might carry a factor at all (cheap, on raw text). */
export function mayCarryFactors(span: SpanForFactors): boolean {
  return (
    span.statusCode === STATUS_ERROR ||
    span.kind === SPAN_KIND_CLIENT ||
    span.kind === SPAN_KIND_PRODUCER ||
    span.kind === SPAN_KIND_CONSUMER ||
    span.eventsJson !== null ||
    ATTRIBUTE_HINT.test(span.attributesJson)
  );
}

function hasKeyPrefix(attrs: AttributeMap, prefixes: readonly string[]): boolean {
  for (const k in attrs) for (const p of prefixes) if (k.startsWith(p)) return true;
  return false;
}

function text(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

/** Names of stores (and vector stores, whose searches are a RAG service's retrievals) in a call's target or name. */
const STORE_TARGET =
  /\bs3\b|storage|blob|gcs|bucket|feature[-_ ]?store|vector|qdrant|pinecone|weaviate|milvus|chroma|pgvector|lancedb|vespa|zilliz|turbopuffer/i;

/**
 * The kind of call a span is, or null when it is none of storage, GPU, queue, network. A
 * language model generating (a GenAI chat or completion span) is none: its duration is the
 * model's own work, explained by what runs under it (the GPU, the server's queue).
 */
export function spanClass(span: SpanForFactors, attrs: AttributeMap): FactorKind | null {
  if (isGenerationSpan(attrs)) return null;
  const rpcService = text(attrs['rpc.service']);
  const target = `${rpcService} ${text(attrs['peer.service'])} ${text(attrs['server.address'])}`;
  if (hasKeyPrefix(attrs, ['db.', 'aws.s3.']) || STORE_TARGET.test(target) || attrs['openinference.span.kind'] === 'RETRIEVER') return 'storage';
  if (hasKeyPrefix(attrs, ['gpu.', 'hw.gpu.'])) return 'gpu';
  if (hasKeyPrefix(attrs, ['messaging.']) || span.kind === SPAN_KIND_PRODUCER || span.kind === SPAN_KIND_CONSUMER || /queue/i.test(span.name)) return 'queue';
  if (span.kind === SPAN_KIND_CLIENT) {
    if (/s3|storage|blob|feature[-_ ]?store|cache|redis/i.test(span.name) || STORE_TARGET.test(span.name)) return 'storage';
    return 'network';
  }
  return null;
}

const MEASURE_KEY = /latency|_ms$|\.ms$|wait|utiliz|temperature|throttl|clock|power|memory/i;
const IGNORED_KEYS = /^(ml\.|model\.|prediction|gen_ai\.|llm\.)/;

/** What an attribute key measures, when it measures anything: the same verdict for every span, so it is cached. */
interface MeasureKey {
  /** The factor kind the key names by itself; null: the span's own class decides. */
  kind: FactorKind | null;
  /** 'ms' when the key says milliseconds, else '' (booleans are counted whatever the key). */
  unit: 'ms' | '';
}

const MEASURE_KEY_CACHE_ENTRIES = 10_000;
/** Longer keys are judged each time: a cache of huge keys would hold their memory. */
const MEASURE_KEY_CACHE_MAX_CHARS = 256;
let measureKeys = new Map<string, MeasureKey | null>();

function keyKind(key: string): FactorKind | null {
  if (/gpu/i.test(key)) return 'gpu';
  if (/storage|s3|\bdb\b|db\.|feature_store|cache|disk/i.test(key)) return 'storage';
  if (/queue|wait/i.test(key)) return 'queue';
  if (/network|net\.|rpc|http/i.test(key)) return 'network';
  return null;
}

function measureKey(key: string): MeasureKey | null {
  let m = measureKeys.get(key);
  if (m !== undefined) return m;
  const isGpu = key.startsWith('gpu.') || key.startsWith('hw.gpu.');
  m = IGNORED_KEYS.test(key) || (!isGpu && !MEASURE_KEY.test(key)) ? null : { kind: keyKind(key), unit: /_ms$|\.ms$/.test(key) ? 'ms' : '' };
  if (key.length > MEASURE_KEY_CACHE_MAX_CHARS) return m;
  if (measureKeys.size >= MEASURE_KEY_CACHE_ENTRIES) measureKeys = new Map();
  measureKeys.set(key, m);
  return m;
}

/** Every factor this span shows; empty for ordinary spans. */
export function classifyFactors(span: SpanForFactors, attrs: AttributeMap, events: { name?: unknown; attributes?: unknown }[]): FactorObservation[] {
  const out: FactorObservation[] = [];
  const cls = spanClass(span, attrs);
  if (cls !== null) out.push({ kind: cls, name: `${span.name} duration`, unit: 'ms', value: span.durationMs });
  for (const key in attrs) {
    const raw = attrs[key];
    let value: number | null = null;
    if (typeof raw === 'number' && Number.isFinite(raw)) value = raw;
    else if (typeof raw === 'boolean') value = raw ? 1 : 0;
    if (value === null) continue;
    const m = measureKey(key);
    if (m === null) continue;
    out.push({ kind: m.kind ?? cls ?? 'other', name: `${span.name} ${key}`, unit: typeof raw === 'boolean' ? 'count' : m.unit, value });
  }
  const errorKind: FactorKind = cls ?? 'error';
  const errorType = text(attrs['error.type']);
  let timedOut = TIMEOUT.test(span.statusMessage) || TIMEOUT.test(errorType);
  if (span.statusCode === STATUS_ERROR) out.push({ kind: errorKind, name: `${span.name} error`, unit: 'count', value: 1 });
  for (const e of events) {
    const name = text(e.name);
    const eventAttrs = e.attributes && typeof e.attributes === 'object' ? (e.attributes as AttributeMap) : {};
    const detail = `${name} ${text(eventAttrs['exception.type'])} ${text(eventAttrs['exception.message'])}`;
    if (TIMEOUT.test(detail)) timedOut = true;
    if (FALLBACK.test(name)) out.push({ kind: 'other', name: `event ${name}`, unit: 'count', value: 1 });
  }
  if (timedOut) out.push({ kind: errorKind, name: `${span.name} timeout`, unit: 'count', value: 1 });
  return out;
}
