/** The GenAI groups (model and operation per dataset) to choose from (presentational). */
import type { GenAiGroup } from '../../../shared/model/genai.js';
import { formatCount } from '../app/format.js';
import { formatPerMinute } from './genai-format.js';
import { groupKey } from './genai-state.js';

interface Props {
  groups: GenAiGroup[];
  selected: GenAiGroup;
  /** Models with a drift finding, as `<dataset name>/<model>`. */
  drifted: ReadonlySet<string>;
  onSelect: (g: GenAiGroup) => void;
}

export function GenAiGroupList({ groups, selected, drifted, onSelect }: Props) {
  return (
    <>
      {groups.map((g) => (
        <button
          key={groupKey(g)}
          className={`model-card${g === selected ? ' active' : ''}`}
          aria-pressed={g === selected}
          onClick={() => onSelect(g)}
          data-testid="genai-group-item"
        >
          <span className="model-name">{g.model}</span>
          <span className="hint">
            {g.operation || 'operation not given'} · {g.datasetName}
          </span>
          <span className="hint">
            {formatCount(g.calls)} calls · {formatPerMinute(g.callsPerMinute)}
          </span>
          {drifted.has(`${g.datasetName}/${g.model}`) && <span className="badge badge-drift">drift finding</span>}
        </button>
      ))}
    </>
  );
}
