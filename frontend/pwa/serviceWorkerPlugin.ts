import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';

const TEMPLATE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'serviceWorker.js');
export const SERVICE_WORKER_FILE = 'sw.js';

/**
 * What the service worker keeps, as URL paths: the page first, then every script and style
 * the build wrote (all lazy pages, so each opens offline) and the public files (runtime
 * configuration, manifest, icons). Source maps stay out.
 */
export function shellFiles(builtFiles: string[], publicFiles: string[], base = '/'): string[] {
  const built = builtFiles.filter(
    (name) => name !== 'index.html' && /\.(js|css)$/.test(name) && name !== SERVICE_WORKER_FILE,
  );
  const files = [...new Set([...built, ...publicFiles])].sort();
  return [`${base}index.html`, ...files.map((name) => `${base}${name}`)];
}

/** The worker's source: SHELL and VERSION, then the hand-written worker. */
export function serviceWorkerSource(template: string, shell: string[], page: string): string {
  // The file names carry content hashes; the page's own text covers what they do not.
  const version = createHash('sha256')
    .update(shell.join('\n'))
    .update(page)
    .digest('hex')
    .slice(0, 16);
  return `const SHELL = ${JSON.stringify(shell)};\nconst VERSION = '${version}';\n\n${template}`;
}

function filesUnder(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir, { recursive: true, encoding: 'utf8' });
  } catch {
    return [];
  }
  return names
    .filter((name) => statSync(path.join(dir, name)).isFile())
    .map((name) => name.split(path.sep).join('/'));
}

/** Writes /sw.js into production builds; the development server never gets one. */
export function serviceWorker(): Plugin {
  let base = '/';
  let publicDir = '';
  return {
    name: 'workout-service-worker',
    apply: 'build',
    enforce: 'post',
    configResolved(config) {
      base = config.base;
      publicDir = config.publicDir;
    },
    generateBundle(_options, bundle) {
      const index = bundle['index.html'];
      const page = index?.type === 'asset' ? String(index.source) : '';
      const shell = shellFiles(Object.keys(bundle), filesUnder(publicDir), base);
      this.emitFile({
        type: 'asset',
        fileName: SERVICE_WORKER_FILE,
        source: serviceWorkerSource(readFileSync(TEMPLATE, 'utf8'), shell, page),
      });
    },
  };
}
