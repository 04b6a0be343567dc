/**
 * What a span waited on and what a metric series measures, in the same few words (storage,
 * GPU, network, queue, compute), so a trace whose time went to a storage call can ask for
 * storage series. Spans go by OpenTelemetry conventions first (db.*, aws.s3.*, rpc.service,
 * messaging.*, gpu.* / hw.gpu.*, ml.* and gen_ai.* for inference) and then by name; series by
 * name and point attributes (DCGM_FI_DEV_*, feature_store.read.duration {rpc.service=S3},
 * system.disk.io). The ML index's classify-factors.ts answers a different question (which
 * measurements a span carries) and lives above the store, so this is its own small table.
 */
import type { MetricLaneKind } from '../../../shared/model/telemetry.js';

/** The kinds a span's time can go to. */
export type SpanWork = Extract<MetricLaneKind, 'gpu' | 'storage' | 'network' | 'queue'>;

const SPAN_KIND_CLIENT = 3;
const SPAN_KIND_PRODUCER = 4;
const SPAN_KIND_CONSUMER = 5;

const STORAGE_WORDS =
  /\bs3\b|storage|blob|gcs|bucket|feature[-_ .]?store|database|\bdb\b|sql|postgres|mysql|mongo|redis|memcache|cassandra|dynamo|bigtable|parquet|\bdisk\b|\bfile\b|\bfs\b|\bcache\b/i;
const INFERENCE_WORDS = /\bgpu\b|cuda|infer(ence)?\b|predict|forward\b|\bllm\b|triton|tensorrt|onnx|torch|vllm|\bmodel\b/i;
const QUEUE_WORDS = /queue|kafka|rabbit|sqs|pubsub|\benqueue|\bdequeue/i;

function hasKeyPrefix(attrs: Record<string, unknown>, prefixes: readonly string[]): boolean {
  return Object.keys(attrs).some((k) => prefixes.some((p) => k.startsWith(p)));
}

function text(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

/** What a span's time went to, or null for its own work (compute) or what cannot be told. */
export function spanWork(name: string, spanKind: number, attrs: Record<string, unknown>): SpanWork | null {
  // Dots and underscores split words for the name checks: "model.infer", "feature_store.read".
  const words = name.replace(/[._/]/g, ' ');
  const target = `${text(attrs['rpc.service'])} ${text(attrs['peer.service'])} ${text(attrs['server.address'])} ${text(attrs['db.system'])}`;
  if (hasKeyPrefix(attrs, ['db.', 'aws.s3.', 'aws.dynamodb.', 'file.']) || STORAGE_WORDS.test(target)) return 'storage';
  if (hasKeyPrefix(attrs, ['gpu.', 'hw.gpu.', 'cuda.'])) return 'gpu';
  if (hasKeyPrefix(attrs, ['messaging.']) || spanKind === SPAN_KIND_PRODUCER || spanKind === SPAN_KIND_CONSUMER || QUEUE_WORDS.test(words)) return 'queue';
  if (STORAGE_WORDS.test(words)) return 'storage';
  // Inference done here (a model on this host's accelerator); a client call to a model
  // server waits on the network, its GPU is elsewhere.
  const inference = INFERENCE_WORDS.test(words) || hasKeyPrefix(attrs, ['ml.model.', 'gen_ai.', 'llm.']);
  if (spanKind === SPAN_KIND_CLIENT) return 'network';
  return inference ? 'gpu' : null;
}

const SERIES_KINDS: readonly [MetricLaneKind, RegExp][] = [
  ['gpu', /gpu|dcgm|nvml|nvidia|cuda|accelerat|\bsm[_ ]?clock|tensor[_ ]?core|hw\.gpu/i],
  ['storage', /\bs3\b|storage|disk|filesystem|\bfs\b|feature[-_ .]?store|\bdb\b|database|sql|redis|cache|blob|bucket|nfs|volume|iops/i],
  ['queue', /queue|kafka|messaging|backlog|consumer[_ .]?lag/i],
  ['network', /network|\bnet\b|tcp|udp|bandwidth|\brpc\b|\bhttp\b|dns|socket/i],
  ['compute', /cpu|memory|\bmem\b|heap|\bgc\b|load[_ ]?average|thread|\bprocess\b|runtime/i],
];

/** What a series measures, from its metric name and point attributes. */
export function seriesKind(metricName: string, attributes: Record<string, unknown>): MetricLaneKind {
  const words = metricName.replace(/[._/]/g, ' ');
  const attrText = Object.entries(attributes)
    .map(([k, v]) => `${k.replace(/[._/]/g, ' ')} ${text(v)}`)
    .join(' ');
  // The name decides; point attributes (rpc.service=S3 on a latency histogram) only when it cannot.
  for (const [kind, re] of SERIES_KINDS) if (re.test(words)) return kind;
  for (const [kind, re] of SERIES_KINDS) if (re.test(attrText)) return kind;
  return 'other';
}
