/**
 * The lanes on offer beyond those shown: grouped by host (the trace's hosts first, its
 * service's other hosts after), most relevant first in each group, with a filter box for
 * names, hosts, attributes and reasons, and a way back to the suggested set.
 */
import { useState } from 'react';
import type { MetricLane } from '../../../shared/model/telemetry.js';
import { laneAttributes, laneSeries } from './LaneRow.js';
import { laneId } from './lane-window.js';

interface Group {
  key: string;
  title: string;
  note: string;
  lanes: MetricLane[];
}

/** Lanes matching every word of the filter, grouped by host (or service), best group first. */
export function laneGroups(lanes: readonly MetricLane[], filter: string): Group[] {
  const words = filter.toLowerCase().split(/\s+/).filter(Boolean);
  const groups = new Map<string, Group>();
  for (const l of [...lanes].sort((a, b) => b.relevance - a.relevance)) {
    const text = `${l.name} ${laneSeries(l)} ${l.kind} ${l.why}`.toLowerCase();
    if (!words.every((w) => text.includes(w))) continue;
    const key = l.host ?? `service:${l.service}`;
    let g = groups.get(key);
    if (!g) {
      const note = l.scope === 'other-host' ? `another host of ${l.service}` : l.host ? 'a host of this trace' : 'this trace’s service';
      g = { key, title: l.host ?? l.service, note, lanes: [] };
      groups.set(key, g);
    }
    g.lanes.push(l);
  }
  return [...groups.values()];
}

export function LaneChooser({ lanes, shown, onChange }: { lanes: readonly MetricLane[]; shown: readonly MetricLane[]; onChange(ids: string[] | null): void }) {
  const [filter, setFilter] = useState('');
  const shownIds = new Set(shown.map((l) => laneId(l.key)));
  const toggle = (l: MetricLane): void => {
    const id = laneId(l.key);
    const ids = shown.map((x) => laneId(x.key));
    onChange(shownIds.has(id) ? ids.filter((x) => x !== id) : [...ids, id]);
  };
  const groups = laneGroups(lanes, filter);
  return (
    <details className="lane-chooser">
      <summary data-testid="metric-lanes-choose-button">
        {shown.length} of {lanes.length} series
      </summary>
      <div className="lane-chooser-panel" data-testid="metric-lanes-chooser">
        <div className="lane-chooser-bar">
          <input
            type="search"
            placeholder="Filter: name, host, kind…"
            value={filter}
            onChange={(e) => setFilter(e.target.value)}
            aria-label="Filter series"
            data-testid="metric-lanes-filter-input"
          />
          <button type="button" className="link-button" onClick={() => onChange(null)} data-testid="metric-lanes-suggested-button">
            Suggested
          </button>
        </div>
        {groups.length === 0 && <div className="hint">No series match.</div>}
        {groups.map((g) => (
          <div key={g.key} className="lane-chooser-group" role="group" aria-label={g.title} data-testid="metric-lanes-choice-group">
            <div className="lane-chooser-heading">
              {g.title} <span className="hint">· {g.note}</span>
            </div>
            {g.lanes.map((l) => (
              <label key={l.key} className="lane-choice" title={`${laneSeries(l)}\n${l.why}`}>
                <input
                  type="checkbox"
                  checked={shownIds.has(laneId(l.key))}
                  onChange={() => toggle(l)}
                  data-testid="metric-lanes-choice-checkbox"
                  data-lane={l.name}
                  data-host={l.host ?? ''}
                />
                <span className="lane-choice-text">
                  <span className="lane-choice-name">{l.name}</span>
                  {laneAttributes(l) && <span className="hint"> {laneAttributes(l)}</span>}
                  {/* Another host's reason is its group's heading; the line would repeat it. */}
                  {l.scope !== 'other-host' && <span className="lane-choice-why hint">{l.why}</span>}
                </span>
              </label>
            ))}
          </div>
        ))}
      </div>
    </details>
  );
}
