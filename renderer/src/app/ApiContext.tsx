import { createContext, useContext } from 'react';
import type { SightlineApi } from '../../../shared/api/contract.js';

export const ApiContext = createContext<SightlineApi | null>(null);

export function useApi(): SightlineApi {
  const api = useContext(ApiContext);
  if (!api) throw new Error('useApi outside ApiContext');
  return api;
}
