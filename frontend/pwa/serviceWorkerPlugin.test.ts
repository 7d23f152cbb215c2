import { describe, expect, it } from 'vitest';
import { serviceWorkerSource, shellFiles } from './serviceWorkerPlugin';

const BUILT = [
  'index.html',
  'assets/index-abc123.js',
  'assets/index-abc123.js.map',
  'assets/index-def456.css',
  'assets/WorkoutPage-aaa111.js',
  'assets/WorkoutPage-aaa111.js.map',
  'sw.js',
];
const PUBLIC = ['env.js', 'manifest.webmanifest', 'icons/icon-192.png'];

describe('the service worker', () => {
  it('keeps the page first, then every script, style and public file, never source maps', () => {
    expect(shellFiles(BUILT, PUBLIC)).toEqual([
      '/index.html',
      '/assets/WorkoutPage-aaa111.js',
      '/assets/index-abc123.js',
      '/assets/index-def456.css',
      '/env.js',
      '/icons/icon-192.png',
      '/manifest.webmanifest',
    ]);
  });

  it('serves the files under the base path the app is built for', () => {
    expect(shellFiles(['index.html', 'assets/a-1.js'], ['env.js'], '/app/')).toEqual([
      '/app/index.html',
      '/app/assets/a-1.js',
      '/app/env.js',
    ]);
  });

  it('gets a new version, so browsers install it, when a file or the page changes', () => {
    const shell = shellFiles(BUILT, PUBLIC);
    const version = (source: string) => /const VERSION = '([0-9a-f]+)'/.exec(source)?.[1];
    const first = version(serviceWorkerSource('/* worker */', shell, '<html>1</html>'));
    const same = version(serviceWorkerSource('/* worker */', shell, '<html>1</html>'));
    const newPage = version(serviceWorkerSource('/* worker */', shell, '<html>2</html>'));
    const rebuilt = shellFiles(
      BUILT.map((name) => name.replace('abc123', 'abc124')),
      PUBLIC,
    );
    const newScript = version(serviceWorkerSource('/* worker */', rebuilt, '<html>1</html>'));

    expect(first).toMatch(/^[0-9a-f]{16}$/);
    expect(same).toBe(first);
    expect(newPage).not.toBe(first);
    expect(newScript).not.toBe(first);
  });

  it('defines what the worker reads before its code', () => {
    const source = serviceWorkerSource('self.addEventListener("fetch", () => {});', ['/x'], '');
    expect(source.startsWith('const SHELL = ["/x"];\nconst VERSION = ')).toBe(true);
    expect(source.endsWith('self.addEventListener("fetch", () => {});')).toBe(true);
  });
});
