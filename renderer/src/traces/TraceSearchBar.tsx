/** The search form of the trace list: edits a copy of the URL state and applies it on Enter or Search. */
import { useEffect, useState, type FormEvent } from 'react';
import { RANGES, type TraceListState } from './trace-search-url.js';

export function TraceSearchBar({ state, onApply }: { state: TraceListState; onApply: (next: TraceListState) => void }) {
  const [draft, setDraft] = useState(state);
  useEffect(() => setDraft(state), [state]);
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    onApply(draft);
  };
  const numberOrUndefined = (v: string): number | undefined => (v.trim() === '' || !Number.isFinite(Number(v)) ? undefined : Number(v));
  const custom = !draft.range && (draft.fromMs !== undefined || draft.toMs !== undefined);
  return (
    <form className="trace-search" onSubmit={submit} data-testid="trace-search-form">
      <input placeholder="Operation (span name)" value={draft.operation} onChange={(e) => setDraft({ ...draft, operation: e.target.value })} data-testid="trace-search-operation" />
      <input className="wide" placeholder="Attributes: http.status_code>=500, tenant=acme, gpu.id?" value={draft.attrs} onChange={(e) => setDraft({ ...draft, attrs: e.target.value })} data-testid="trace-search-attrs" />
      <input className="narrow" placeholder="min ms" value={draft.minMs ?? ''} onChange={(e) => setDraft({ ...draft, minMs: numberOrUndefined(e.target.value) })} data-testid="trace-search-min" />
      <input className="narrow" placeholder="max ms" value={draft.maxMs ?? ''} onChange={(e) => setDraft({ ...draft, maxMs: numberOrUndefined(e.target.value) })} data-testid="trace-search-max" />
      <select value={custom ? 'custom' : draft.range} onChange={(e) => setDraft({ ...draft, range: e.target.value === 'custom' || e.target.value === '' ? '' : (e.target.value as TraceListState['range']), ...(e.target.value === '' ? { fromMs: undefined, toMs: undefined } : {}) })} data-testid="trace-search-range">
        <option value="">any time</option>
        {Object.keys(RANGES).map((k) => <option key={k} value={k}>last {k}</option>)}
        {custom && <option value="custom">{`${draft.fromMs ? new Date(draft.fromMs).toLocaleTimeString() : '…'} – ${draft.toMs ? new Date(draft.toMs).toLocaleTimeString() : '…'}`}</option>}
      </select>
      <label><input type="checkbox" checked={draft.errorsOnly} onChange={(e) => setDraft({ ...draft, errorsOnly: e.target.checked })} data-testid="trace-search-errors" /> errors</label>
      <input placeholder="Text" value={draft.text} onChange={(e) => setDraft({ ...draft, text: e.target.value })} data-testid="trace-search-text" />
      <button type="submit" className="primary-button" data-testid="trace-search-submit">Search</button>
    </form>
  );
}
