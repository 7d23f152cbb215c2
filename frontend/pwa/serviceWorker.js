// The web app's service worker. The build (pwa/serviceWorkerPlugin.ts) writes it to /sw.js
// with SHELL (the files to keep: the page, its scripts and styles, runtime configuration,
// manifest, icons) and VERSION (a hash of those files) defined above this line.
//
// - Pages are fetched from the network first, so a new deploy is used at once; offline, or
//   when the server takes longer than NAVIGATION_TIMEOUT_MS or fails, the kept page opens.
// - Hashed scripts and styles come from the cache (their names change with their content).
// - /env.js, the manifest and icons: network first, the kept copy offline.
// - Anything else, the API and the coach above all, is never touched: network only.
//
// A new version takes over as soon as it has its files, so the next offline start opens the
// new build. The previous version's cache is kept until the one after, so a tab still
// running the old build finds the chunks it was built with.

const CACHE_PREFIX = 'workout-shell-';
const CACHE = `${CACHE_PREFIX}${VERSION}`;
const PAGE = SHELL[0];
const NAVIGATION_TIMEOUT_MS = 4000;
const NOT_HANDLED = ['/api/', '/ai-coach/'];
// ignoreVary: a server may vary on Origin, which a module script sends and install did not.
const KEPT = { cacheName: CACHE, ignoreVary: true, ignoreSearch: true };

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      // Past the HTTP cache: it may still hold the page and env.js of the build before.
      .then((cache) => cache.addAll(SHELL.map((url) => new Request(url, { cache: 'reload' }))))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => {
        // Cache names come in the order they were created: keep the newest older one.
        const older = keys.filter((key) => key.startsWith(CACHE_PREFIX) && key !== CACHE);
        return Promise.all(older.slice(0, -1).map((key) => caches.delete(key)));
      })
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const { request } = event;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin) return;
  if (NOT_HANDLED.some((prefix) => url.pathname.startsWith(prefix))) return;
  if (request.mode === 'navigate') {
    event.respondWith(page(request));
  } else if (url.pathname.startsWith('/assets/') && SHELL.includes(url.pathname)) {
    event.respondWith(cacheFirst(request));
  } else if (SHELL.includes(url.pathname)) {
    event.respondWith(networkFirst(request));
  }
});

async function page(request) {
  try {
    const response = await withTimeout(fetch(request), NAVIGATION_TIMEOUT_MS);
    if (response.status < 500) return response;
  } catch {
    // Offline or too slow: the kept page below.
  }
  return (await caches.match(PAGE, KEPT)) ?? fetch(request);
}

async function cacheFirst(request) {
  // Any kept version will do: a hashed name has one content.
  const anyVersion = { ignoreVary: true, ignoreSearch: true };
  return (await caches.match(request, anyVersion)) ?? fetch(request);
}

async function networkFirst(request) {
  try {
    return await fetch(request);
  } catch (error) {
    const kept = await caches.match(request, KEPT);
    if (kept) return kept;
    throw error;
  }
}

function withTimeout(promise, ms) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timed out')), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
