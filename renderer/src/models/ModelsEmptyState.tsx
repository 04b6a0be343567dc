/** What the Models page shows before any prediction arrived: which attributes to send, and the demo. */
export function ModelsEmptyState({ onLoadDemo }: { onLoadDemo: () => void }) {
  return (
    <section className="empty-state" data-testid="models-empty-state">
      <h2>No model predictions yet</h2>
      <p>
        Sightline reads predictions from span attributes: <span className="mono">ml.model.name</span>, <span className="mono">ml.model.version</span>,{' '}
        <span className="mono">ml.prediction.score</span> or <span className="mono">ml.prediction.label</span>, optionally{' '}
        <span className="mono">ml.prediction.confidence</span>, <span className="mono">ml.feature.*</span> and <span className="mono">ml.prediction.id</span>{' '}
        (ground truth arrives later as <span className="mono">ml.actual.label</span>). Common aliases such as <span className="mono">model_version</span> or{' '}
        <span className="mono">gen_ai.request.model</span> work too, and Settings maps your own names.
      </p>
      <p>
        <button className="primary-button" onClick={onLoadDemo} data-testid="models-load-demo-button">
          Load the incident demo
        </button>{' '}
        <span className="hint">two hours of a ranking model whose feature store slowed down, and a recommender whose GPU throttled</span>
      </p>
    </section>
  );
}
