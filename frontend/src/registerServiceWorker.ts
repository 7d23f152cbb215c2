/**
 * Production builds install the service worker that lets the logging screen open without a
 * network (see pwa/serviceWorker.js). The development server has none, and removes one left
 * by a production build on the same address, so hot reload always sees fresh modules.
 */
export function registerServiceWorker(): void {
  if (!('serviceWorker' in navigator)) return;
  if (!import.meta.env.PROD) {
    void navigator.serviceWorker
      .getRegistrations()
      .then((registrations) => Promise.all(registrations.map((item) => item.unregister())));
    return;
  }
  window.addEventListener('load', () => {
    navigator.serviceWorker
      .register(`${import.meta.env.BASE_URL}sw.js`, { updateViaCache: 'none' })
      .catch((error: unknown) => console.warn('The service worker was not installed:', error));
  });
}
