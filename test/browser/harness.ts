/**
 * What the real-browser tests share: a static server on 127.0.0.1 that serves files under some
 * folders of the repository, and Debian's Chromium driven by playwright-core.
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { type Browser, chromium } from 'playwright-core';

/** The repository's root folder. */
export const ROOT = new URL('../..', import.meta.url).pathname;
const TYPES: Record<string, string> = {
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.html': 'text/html',
  '.css': 'text/css',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
};
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** A static server and its base URL. */
export interface StaticServer {
  base: string;
  close(): Promise<void>;
}

/**
 * Serves the files under `allowed` (folders relative to `root`, each ending in '/'); `/` is `index`
 * and every other path 404s. `root` is the repository unless given.
 */
export async function serveStatic(index: string, allowed: readonly string[], root = ROOT): Promise<StaticServer> {
  const server: Server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
    const file = join(root, path === '/' ? index : path);
    const ok = allowed.some((p) => file.startsWith(join(root, p))) && existsSync(file) && statSync(file).isFile();
    if (!ok) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Debian's Chromium, headless, with nothing that reaches the network on its own. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
