// Section 2 of the page: where clients reach the server and ready-to-copy configurations for the
// common ones. Tokens are placeholders: a key made on the page is shown once, never kept here.
import { hostname } from 'node:os';
import type { Config } from '../config/schema.js';

export interface ClientConfig {
  id: string;
  name: string;
  /** Where it goes (a file, a command line, a form). */
  where: string;
  text: string;
  note?: string;
}

const TOKEN = 'YOUR_TOKEN';

export function connectInfo(config: Config, host = config.supervisor ? hostname() : 'localhost') {
  const local = `http://${config.supervisor ? 'homeassistant.local' : host}:${config.port}${config.secretPath}`;
  const publicUrl = config.publicUrl ? `${config.publicUrl}${config.secretPath}` : null;
  const url = publicUrl ?? local;
  const base = url.slice(0, url.length - config.secretPath.length);
  const json = (v: unknown) => JSON.stringify(v, null, 2);
  const clients: ClientConfig[] = [
    {
      id: 'claude-desktop-stdio',
      name: 'Claude Desktop (stdio)',
      where: 'claude_desktop_config.json',
      text: json({
        mcpServers: {
          'home-assistant': {
            command: 'npx',
            args: ['-y', 'mcp-ha', '--stdio'],
            env: { HOMEASSISTANT_URL: config.supervisor ? 'http://homeassistant.local:8123' : config.ha.userBase, HOMEASSISTANT_TOKEN: 'YOUR_LONG_LIVED_TOKEN' },
          },
        },
      }),
      note: 'Starts its own server next to Claude Desktop (Node.js 20 or newer); a long-lived access token from your Home Assistant profile.',
    },
    {
      id: 'claude-desktop-remote',
      name: 'Claude Desktop (remote)',
      where: 'claude_desktop_config.json',
      text: json({ mcpServers: { 'home-assistant': { command: 'npx', args: ['-y', 'mcp-remote', url, '--header', 'Authorization:${MCP_AUTH}'], env: { MCP_AUTH: `Bearer ${TOKEN}` } } } }),
    },
    { id: 'claude-code', name: 'Claude Code', where: 'a terminal', text: `claude mcp add --transport http home-assistant ${url} --header "Authorization: Bearer ${TOKEN}"` },
    {
      id: 'vscode',
      name: 'VS Code',
      where: '.vscode/mcp.json',
      text: json({
        inputs: [{ type: 'promptString', id: 'ha-token', description: 'Home Assistant MCP token', password: true }],
        servers: { 'home-assistant': { type: 'http', url, headers: { Authorization: 'Bearer ${input:ha-token}' } } },
      }),
    },
    { id: 'cursor', name: 'Cursor', where: '~/.cursor/mcp.json', text: json({ mcpServers: { 'home-assistant': { url, headers: { Authorization: `Bearer ${TOKEN}` } } } }) },
    {
      id: 'n8n',
      name: 'n8n',
      where: 'MCP Client Tool node',
      text: `SSE Endpoint: ${base}/sse\nAuthentication: Bearer Auth (credential: ${TOKEN})\n(HTTP Streamable transport: ${url})`,
      note: 'The SSE transport needs the server\'s own port (8099), not a proxy path.',
    },
    {
      id: 'connector',
      name: 'Claude.ai / ChatGPT connector',
      where: 'Settings > Connectors > Add custom connector',
      text: publicUrl ? `URL: ${publicUrl}` : 'URL: https://YOUR_PUBLIC_HOST/mcp (set the add-on option public_url)',
      note: 'These connectors reach the server from the internet over HTTPS and sign in with OAuth; without OAuth on this server they cannot connect yet.',
    },
  ];
  return { mcp_url: { local, public: publicUrl }, clients };
}
