/** What an editor says after an action: a hint when it went well, an error banner when not. */

export interface StatusText {
  error: boolean;
  text: string;
}

export function StatusMessage({ message, testId }: { message: StatusText | null; testId: string }) {
  if (!message) return null;
  return (
    <div className={message.error ? 'error-banner' : 'hint'} role="status" data-testid={testId}>
      {message.text}
    </div>
  );
}
