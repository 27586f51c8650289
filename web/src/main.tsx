import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { Dashboard } from './components/Dashboard';
import { useRoute } from './hooks/useRoute';
import './styles.css';

/** The shop at /, a waiting room at /#waiting-room/<product id>, the operator's dashboard at /#admin. */
function Root() {
  const route = useRoute();
  return route.view === 'admin' ? <Dashboard /> : <App roomId={route.roomId} />;
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Root />
  </StrictMode>,
);
