/** The GenAI page with nothing to show: which telemetry it reads, or (with a time range) where the calls are. */
import { formatPeriod } from '../app/format.js';

const Mono = ({ children }: { children: string }) => <span className="mono">{children}</span>;

export function GenAiEmptyState() {
  return (
    <section className="empty-state" data-testid="genai-empty-state">
      <h2>No language model calls yet</h2>
      <p>
        The GenAI view reads spans that follow the OpenTelemetry GenAI conventions (<Mono>gen_ai.operation.name</Mono>, <Mono>gen_ai.request.model</Mono>,{' '}
        <Mono>gen_ai.usage.input_tokens</Mono> / <Mono>output_tokens</Mono>, <Mono>gen_ai.response.finish_reasons</Mono>) or OpenInference&apos;s{' '}
        <Mono>llm.*</Mono> names (<Mono>llm.model_name</Mono>, <Mono>llm.token_count.prompt</Mono> / <Mono>completion</Mono>). Evaluation results come as{' '}
        <Mono>gen_ai.evaluation.result</Mono> span events or log records; retrievals as vector-store client spans (<Mono>db.system.name</Mono> qdrant,
        pinecone…) or OpenInference retriever spans with <Mono>retrieval.documents</Mono>.
      </p>
      <p className="hint">Send traces from an instrumented LLM application to the OTLP ports in the header, or open an archive.</p>
    </section>
  );
}

export function GenAiNoMatch({ elsewhere, onWholeRange }: { elsewhere: { fromMs: number; toMs: number; calls: number } | null; onWholeRange: () => void }) {
  return (
    <div className="empty-note" data-testid="genai-no-match">
      <p>
        <strong>No language model calls in this time range.</strong>
      </p>
      {elsewhere && (
        <p>
          {elsewhere.calls.toLocaleString('en-US')} calls lie outside it, between {formatPeriod(elsewhere.fromMs, elsewhere.toMs)}.{' '}
          <button className="link-button" onClick={onWholeRange} data-testid="genai-whole-range-button">
            Show the whole range
          </button>
        </p>
      )}
    </div>
  );
}
