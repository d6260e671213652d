// MCP resources: the home overview and every entity's state (hass:// URIs, one template), with
// resources/list_changed sent to the session when entities appear or go.
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import {
  ErrorCode,
  ListResourceTemplatesRequestSchema,
  ListResourcesRequestSchema,
  McpError,
  ReadResourceRequestSchema,
  type Resource,
} from '@modelcontextprotocol/sdk/types.js';
import { AppError } from '../errors.js';
import { handle } from './handle.js';
import { homeLive } from '../home/live.js';
import { buildOverview } from '../home/overview.js';
import { entityName } from '../home/placement.js';
import { requireState } from '../home/entityLookup.js';
import { liveCache } from '../home/liveCache.js';
import type { AppDeps } from '../tools/tool.js';

const OVERVIEW_URI = 'hass://overview';
const ENTITY_PREFIX = 'hass://entity/';
const PAGE = 500;
/** MCP's "resource not found". */
const RESOURCE_NOT_FOUND = -32002 as ErrorCode;

const JSON_TYPE = 'application/json';

function asMcpError(err: unknown): McpError {
  if (err instanceof AppError) {
    const code = err.code === 'entity_not_found' ? RESOURCE_NOT_FOUND : err.code === 'invalid_input' ? ErrorCode.InvalidParams : ErrorCode.InternalError;
    return new McpError(code, `${err.message} ${err.suggestion}`);
  }
  return new McpError(ErrorCode.InternalError, 'Unexpected internal error.');
}

/** Registers the resource handlers; returns the cleanup to run when the session's server closes. */
export function registerResources(server: Server, deps: AppDeps): () => void {
  handle(server, ListResourcesRequestSchema, async (request) => {
    const offset = Number(request.params?.cursor ?? 0);
    if (!Number.isInteger(offset) || offset < 0) throw new McpError(ErrorCode.InvalidParams, 'Invalid cursor.');
    const resources: Resource[] = offset === 0 ? [{ uri: OVERVIEW_URI, name: 'overview', title: 'Home overview', mimeType: JSON_TYPE }] : [];
    let cache;
    try {
      cache = liveCache(deps).cache;
    } catch (err) {
      throw asMcpError(err);
    }
    const ids = [...cache.states()].map((s) => s.entity_id).sort();
    for (const id of ids.slice(offset, offset + PAGE)) {
      resources.push({ uri: `${ENTITY_PREFIX}${id}`, name: id, title: entityName(cache, cache.getState(id), id), mimeType: JSON_TYPE });
    }
    return offset + PAGE < ids.length ? { resources, nextCursor: String(offset + PAGE) } : { resources };
  });

  handle(server, ListResourceTemplatesRequestSchema, async () => ({
    resourceTemplates: [
      { uriTemplate: `${ENTITY_PREFIX}{entity_id}`, name: 'entity', title: 'Entity state', description: 'Current state and attributes of one entity.', mimeType: JSON_TYPE },
    ],
  }));

  handle(server, ReadResourceRequestSchema, async (request) => {
    const { uri } = request.params;
    try {
      const { cache } = liveCache(deps);
      let value: unknown;
      if (uri === OVERVIEW_URI) value = await buildOverview(deps.ha, cache);
      else if (uri.startsWith(ENTITY_PREFIX)) value = requireState(cache, decodeURIComponent(uri.slice(ENTITY_PREFIX.length)));
      else throw new McpError(RESOURCE_NOT_FOUND, `Unknown resource ${uri}. Use ${OVERVIEW_URI} or ${ENTITY_PREFIX}<entity_id>.`);
      return { contents: [{ uri, mimeType: JSON_TYPE, text: JSON.stringify(value) }] };
    } catch (err) {
      throw err instanceof McpError ? err : asMcpError(err);
    }
  });

  return homeLive(deps.ha.cache).onEntityListChanged(() => {
    server.sendResourceListChanged().catch(() => undefined); // the session may be closing
  });
}
