import { useLayoutEffect, useRef } from 'react';

/**
 * A ref that always holds the latest `value`: for callbacks an effect calls later (a d3
 * brush's handler) without re-running the effect each time the parent passes a new function.
 */
export function useLatest<T>(value: T): { readonly current: T } {
  const ref = useRef(value);
  useLayoutEffect(() => {
    ref.current = value;
  });
  return ref;
}
