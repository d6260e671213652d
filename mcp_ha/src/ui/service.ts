// What the add-on page's routes share across both listeners: the tool runner, the protocol tally,
// the admin check, the page's files, when the cache last resynced, and the OAuth grants API.
import type { McpHttp } from '../mcp/http.js';
import type { AppDeps } from '../tools/tool.js';
import type { OAuthGrants } from './access.js';
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
  /** The OAuth service's grants, undefined while OAuth is off (no base_url). */
  oauth: OAuthGrants | undefined;
  lastResync(): number | undefined;
  close(): void;
}

export function createUiService(deps: AppDeps, mcp: McpHttp, oauth?: OAuthGrants): UiService {
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
    oauth,
    lastResync: () => resync,
    close: () => void deps.ha.cache.off('resync', onResync),
  };
}
