// gridgov's service worker: the app opens without a connection (its page and assets are kept
// as they are fetched); the API is never cached (a phone's writes wait in its outbox instead).
const CACHE = 'gridgov-app-v1';

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(['/', '/manifest.webmanifest', '/favicon.svg'])));
  self.skipWaiting();
});

self.addEventListener('activate', (event) => {
  event.waitUntil(caches.keys().then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k)))));
  self.clients.claim();
});

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== 'GET' || url.origin !== location.origin || url.pathname.startsWith('/api/') || url.pathname.startsWith('/open311/')) return;
  if (url.pathname.startsWith('/assets/')) {
    // hashed names: what was fetched once stays right
    event.respondWith(caches.match(event.request).then((hit) => hit ?? fetch(event.request).then((res) => {
      if (res.ok) caches.open(CACHE).then((cache) => cache.put(event.request, res.clone()));
      return res;
    })));
    return;
  }
  // pages: the network first, the last copy without one
  event.respondWith(fetch(event.request).then((res) => {
    if (res.ok && res.headers.get('content-type')?.includes('text/html')) caches.open(CACHE).then((cache) => cache.put('/', res.clone()));
    return res;
  }).catch(() => caches.match(event.request).then((hit) => hit ?? caches.match('/'))));
});
