import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { apiClient } from './api/clients';
import { AuthProvider } from './auth/AuthContext';
import { SessionStore } from './auth/session';
import { registerServiceWorker } from './registerServiceWorker';
import './styles.css';

const store = new SessionStore(apiClient);
const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');

createRoot(root).render(
  <StrictMode>
    <AuthProvider store={store}>
      <App />
    </AuthProvider>
  </StrictMode>,
);
registerServiceWorker();
