/// <reference types="vitest/config" />
import react from '@vitejs/plugin-react';
import { defineConfig, type ProxyOptions } from 'vite';
import { serviceWorker } from './pwa/serviceWorkerPlugin.ts';

// `make run`'s launcher points these at the ports it chose; plain `npm run dev` uses the
// platform's standard ports.
const apiTarget = process.env.VITE_API_PROXY_TARGET ?? 'http://127.0.0.1:8000';
const coachTarget = process.env.VITE_AI_COACH_PROXY_TARGET ?? 'http://127.0.0.1:8001';

function stripPrefix(prefix: string, target: string): ProxyOptions {
  return {
    target,
    changeOrigin: true,
    rewrite: (path) => path.slice(prefix.length) || '/',
  };
}

const proxy = {
  '/api': stripPrefix('/api', apiTarget),
  '/ai-coach': stripPrefix('/ai-coach', coachTarget),
};

export default defineConfig({
  plugins: [react(), serviceWorker()],
  server: { port: 3000, host: '127.0.0.1', proxy },
  // `make run` serves the production build this way, proxying like the image's nginx.
  preview: { port: 3000, host: '127.0.0.1', proxy },
  build: { sourcemap: true },
  test: {
    environment: 'happy-dom',
    setupFiles: ['./src/test/setup.ts'],
    include: ['src/**/*.test.{ts,tsx}', 'pwa/**/*.test.ts'],
    restoreMocks: true,
    unstubGlobals: true,
  },
});
