/** The search form of the trace list: edits a copy of the URL state and applies it on Enter or Search (the time range is the data context's). */
import { useEffect, useState, type FormEvent } from 'react';
import type { TraceListState } from './trace-search-url.js';

export function TraceSearchBar({ state, onApply }: { state: TraceListState; onApply: (next: TraceListState) => void }) {
  const [draft, setDraft] = useState(state);
  useEffect(() => setDraft(state), [state]);
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    onApply(draft);
  };
  const numberOrUndefined = (v: string): number | undefined => (v.trim() === '' || !Number.isFinite(Number(v)) ? undefined : Number(v));
  return (
    <form className="trace-search" onSubmit={submit} data-testid="trace-search-form">
      <input
        placeholder="Operation (span name)"
        aria-label="Operation (span name)"
        value={draft.operation}
        onChange={(e) => setDraft({ ...draft, operation: e.target.value })}
        data-testid="trace-search-operation"
      />
      <input
        className="wide"
        placeholder="Attributes: http.status_code>=500, tenant=acme, gpu.id?"
        aria-label="Attributes"
        value={draft.attrs}
        onChange={(e) => setDraft({ ...draft, attrs: e.target.value })}
        data-testid="trace-search-attrs"
      />
      <input
        className="narrow"
        placeholder="min ms"
        aria-label="min ms"
        value={draft.minMs ?? ''}
        onChange={(e) => setDraft({ ...draft, minMs: numberOrUndefined(e.target.value) })}
        data-testid="trace-search-min"
      />
      <input
        className="narrow"
        placeholder="max ms"
        aria-label="max ms"
        value={draft.maxMs ?? ''}
        onChange={(e) => setDraft({ ...draft, maxMs: numberOrUndefined(e.target.value) })}
        data-testid="trace-search-max"
      />
      <label>
        <input
          type="checkbox"
          checked={draft.errorsOnly}
          onChange={(e) => setDraft({ ...draft, errorsOnly: e.target.checked })}
          data-testid="trace-search-errors"
        />{' '}
        errors
      </label>
      <input
        placeholder="Text"
        aria-label="Text"
        value={draft.text}
        onChange={(e) => setDraft({ ...draft, text: e.target.value })}
        data-testid="trace-search-text"
      />
      <button type="submit" className="primary-button" data-testid="trace-search-submit">
        Search
      </button>
    </form>
  );
}
