/**
 * What Sightline reads from generative-AI telemetry (OpenTelemetry GenAI conventions, with
 * OpenInference names as aliases), and the quality signals it derives from it. A language
 * model call is a prediction like any other (model = the GenAI model); its quality signals
 * drift and are attributed exactly as a classifier's score and label are.
 */

/** Quality signals of a language model call, as analysis signal names (`quality:<name>`). */
export const QUALITY_SIGNAL_PREFIX = 'quality:';

/** Derived per call; the evaluation signals are `eval.<name>` (score) and `eval.<name>.label`. */
export const GENAI_QUALITY = {
  /** 'yes' when the answer was cut at the token limit (finish reason `length`, `max_tokens`…). */
  truncated: 'truncated',
  /** 'yes' when the model refused or was filtered (finish reason `content_filter`, `safety`…). */
  refused: 'refused',
  /** Output tokens of the answer. */
  responseTokens: 'response_tokens',
  /** Documents the request's retrievals returned (summed over its retrieval spans and retries). */
  documentsRetrieved: 'documents_retrieved',
  /** 'yes' when the request's retrievals returned nothing. */
  emptyRetrieval: 'empty_retrieval',
} as const;

/** Features of a language model call besides its token usage. */
export const GENAI_FEATURES = {
  outputTokensPerSecond: 'output_tokens_per_s',
  timeToFirstTokenMs: 'time_to_first_token_ms',
} as const;

/** Finish reasons that mean the answer was cut at the token limit (OpenAI, Anthropic, Gemini, Bedrock spellings). */
export const TRUNCATION_REASONS: ReadonlySet<string> = new Set(['length', 'max_tokens', 'max_output_tokens', 'model_length', 'token_limit']);
/** Finish reasons that mean the model refused or its answer was filtered. */
export const REFUSAL_REASONS: ReadonlySet<string> = new Set([
  'content_filter',
  'refusal',
  'safety',
  'recitation',
  'blocklist',
  'prohibited_content',
  'spii',
  'guardrail_intervened',
  'content_filtered',
]);

/** `db.system` / `db.system.name` values of vector stores: their spans are retrievals. */
export const VECTOR_STORES: ReadonlySet<string> = new Set([
  'qdrant',
  'pinecone',
  'weaviate',
  'pgvector',
  'milvus',
  'chroma',
  'chromadb',
  'lancedb',
  'vespa',
  'marqo',
  'faiss',
  'zilliz',
  'turbopuffer',
  'vectorize',
]);

/** `gen_ai.operation.name` values whose span is the model generating (its duration is the model's own work). */
export const GENERATION_OPERATIONS: ReadonlySet<string> = new Set(['chat', 'text_completion', 'generate_content', 'completion']);

/** The event a GenAI evaluation result is recorded as (on the evaluated span, or as a log record parented to it). */
export const EVALUATION_EVENT = 'gen_ai.evaluation.result';

/** A percentile pair, or nulls when nothing was measured. */
export interface Percentiles {
  p50: number | null;
  p95: number | null;
}

/** A trace worth opening, with the value it is an example of. */
export interface GenAiExemplar {
  traceId: string;
  timeMs: number;
  value: number | string;
}

/** One model and operation (chat, embeddings…) of one service and dataset. */
export interface GenAiGroup {
  datasetId: number;
  datasetName: string;
  model: string;
  /** `gen_ai.operation.name`, or '' when the calls did not say. */
  operation: string;
  services: string[];
  calls: number;
  callsPerMinute: number;
  latencyMs: Percentiles;
  timeToFirstTokenMs: Percentiles;
  outputTokensPerSecond: Percentiles;
  inputTokens: { total: number; mean: number } | null;
  outputTokens: { total: number; mean: number } | null;
  finishReasons: { reason: string; calls: number }[];
  truncatedShare: number | null;
  refusedShare: number | null;
  evaluations: { name: string; count: number; mean: number | null; labels: { label: string; count: number }[] }[];
  /** The retrievals of the calls' requests (vector stores, retrievers), when there were any. */
  retrieval: { requests: number; documentsMean: number; emptyShare: number; latencyMs: Percentiles } | null;
  /** Per time bucket (bucketMs wide, from the overview's fromMs); null where a bucket has no value. */
  series: {
    calls: number[];
    latencyP95Ms: (number | null)[];
    timeToFirstTokenP95Ms: (number | null)[];
    outputTokensPerSecondP50: (number | null)[];
    truncatedShare: (number | null)[];
    documentsMean: (number | null)[];
    evaluations: { name: string; mean: (number | null)[] }[];
  };
  exemplars: {
    slowest: GenAiExemplar[];
    truncated: GenAiExemplar[];
    refused: GenAiExemplar[];
    lowestEvaluation: (GenAiExemplar & { evaluation: string })[];
    emptyRetrieval: GenAiExemplar[];
  };
}

export interface GenAiOverview {
  fromMs: number;
  toMs: number;
  bucketMs: number;
  groups: GenAiGroup[];
  /** Calls in scope beyond the cap that were left out (newest kept). */
  truncatedCalls: number;
}
