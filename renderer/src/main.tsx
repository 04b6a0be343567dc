import { createRoot } from 'react-dom/client';
import { App } from './app/App.js';
import { ApiContext } from './app/ApiContext.js';
import { createApi } from './api/client.js';
import './styles.css';
import { applyTheme, storedTheme } from './app/theme.js';

applyTheme(storedTheme()); // before the first paint, so a dark choice never flashes light

createRoot(document.getElementById('root')!).render(
  <ApiContext.Provider value={createApi()}>
    <App />
  </ApiContext.Provider>,
);
