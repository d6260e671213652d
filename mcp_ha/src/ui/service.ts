// What the add-on page's routes share across both listeners: the tool runner, the protocol tally,
// the admin check, the page's files and when the cache last resynced.
import type { McpHttp } from '../mcp/http.js';
import type { AppDeps } from '../tools/tool.js';
import { loadAssets, type Asset } from './assets.js';
import { ProtocolTally } from './status.js';
import { createToolRunner, type ToolRunner } from './toolRunner.js';
import { createAdminCheck, type AdminCheck } from './viewer.js';

export interface UiService {
  deps: AppDeps;
  mcp: McpHttp;
  runner: ToolRunner;
  tally: ProtocolTally;
  admins: AdminCheck;
  assets: Map<string, Asset>;
  startedAt: number;
  lastResync(): number | undefined;
  close(): void;
}

export function createUiService(deps: AppDeps, mcp: McpHttp): UiService {
  let resync: number | undefined;
  const onResync = () => (resync = Date.now());
  deps.ha.cache.on('resync', onResync);
  return {
    deps,
    mcp,
    runner: createToolRunner({ mcp, ha: deps.ha, toolsets: deps.config.toolsets }),
    tally: new ProtocolTally(),
    admins: createAdminCheck(deps.ha),
    assets: loadAssets(),
    startedAt: Date.now(),
    lastResync: () => resync,
    close: () => void deps.ha.cache.off('resync', onResync),
  };
}
