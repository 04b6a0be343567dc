import { createRoot } from 'react-dom/client';
import { App } from './app/App.js';
import { ApiContext } from './app/ApiContext.js';
import { createApi } from './api/client.js';
import './styles.css';

createRoot(document.getElementById('root')!).render(
  <ApiContext.Provider value={createApi()}>
    <App />
  </ApiContext.Provider>,
);
