/**
 * Settings kept as JSON text, folded away under the form that edits them: the text to edit by
 * hand, a button that takes it in (the caller checks and applies it), and the file to export and
 * import. Presentational: the caller holds the text.
 */
import { saveFile } from '../app/save-file.js';

export function JsonFilePanel({
  summary,
  label,
  text,
  onText,
  applyLabel,
  onApply,
  fileName,
  disabled,
  testId,
  placeholder,
  exportText,
}: {
  summary: string;
  /** The text box's accessible name. */
  label: string;
  text: string;
  onText: (text: string) => void;
  applyLabel: string;
  onApply: () => void;
  fileName: string;
  disabled: boolean;
  /** `<scope>` of the parts' test IDs: `<scope>-input`, `<scope>-apply`, `<scope>-export`, `<scope>-import-input`. */
  testId: string;
  placeholder?: string | undefined;
  /** What Export writes; the text in the box unless given (e.g. what is saved). */
  exportText?: (() => string) | undefined;
}) {
  return (
    <details className="rules-file">
      <summary>{summary}</summary>
      <textarea
        aria-label={label}
        className="mono rules-editor"
        rows={10}
        value={text}
        disabled={disabled}
        onChange={(e) => onText(e.target.value)}
        placeholder={placeholder}
        spellCheck={false}
        data-testid={`${testId}-input`}
      />
      <div className="toolbar">
        <button type="button" onClick={onApply} disabled={disabled} data-testid={`${testId}-apply`}>
          {applyLabel}
        </button>
        <button type="button" onClick={() => saveFile(fileName, exportText?.() ?? (text || '{}'), 'application/json')} data-testid={`${testId}-export`}>
          Export file
        </button>
        <label className="file-label">
          Import file{' '}
          <input
            type="file"
            accept=".json,application/json"
            hidden
            disabled={disabled}
            data-testid={`${testId}-import-input`}
            onChange={(e) => void e.target.files?.[0]?.text().then(onText)}
          />
        </label>
      </div>
    </details>
  );
}
