/** Copies a value (a trace or span ID) to the clipboard and says so for a moment. */
import { useState } from 'react';

export function CopyButton({ text, testId }: { text: string; testId: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <button
      className="copy-button"
      data-testid={testId}
      title={`Copy ${text}`}
      onClick={(e) => {
        e.stopPropagation();
        void navigator.clipboard.writeText(text).then(() => {
          setCopied(true);
          setTimeout(() => setCopied(false), 1500);
        });
      }}
    >
      {copied ? 'copied' : 'copy'}
    </button>
  );
}
