// The package version, read once; /health, the MCP server info and the audit log report it.
import { readFileSync } from 'node:fs';

function readVersion(): string {
  for (const rel of ['../package.json', '../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(rel, import.meta.url), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'mcp-ha' && pkg.version) return pkg.version;
    } catch {
      // try the next location: src/ in development, dist/ in the image
    }
  }
  return '0.0.0';
}

export const VERSION = readVersion();
