// MCP resources: the home overview and every entity's state (hass:// URIs, one template), with
// resources/list_changed sent to the session when entities appear or go, and resources/subscribe
// for sessions that hold subscriptions (2025 revisions; 2026-07-28 uses subscriptions/listen).
import { ProtocolError, ProtocolErrorCode, ResourceNotFoundError, type Resource, type Server } from '@modelcontextprotocol/server';
import { z } from 'zod';
import { homeLive } from '../home/live.js';
import { requireState } from '../home/entityLookup.js';
import { liveCache } from '../home/liveCache.js';
import { buildOverview } from '../home/overview.js';
import { entityName } from '../home/placement.js';
import type { AppDeps } from '../tools/tool.js';
import { handle } from './handle.js';
import { asProtocolError } from './protocolError.js';
import type { SessionSubscriptions } from './subscriptions.js';
import { ENTITY_PREFIX, ENTITY_URI_TEMPLATE, OVERVIEW_URI, entityIdOf } from '../home/uris.js';

const PAGE = 500;
const JSON_TYPE = 'application/json';

const ListResources = z.object({ method: z.literal('resources/list'), params: z.looseObject({ cursor: z.string().max(20).optional() }).optional() });
const ListTemplates = z.object({ method: z.literal('resources/templates/list'), params: z.looseObject({}).optional() });
const ReadResource = z.object({ method: z.literal('resources/read'), params: z.looseObject({ uri: z.string().max(2048) }) });
const Subscribe = z.object({ method: z.enum(['resources/subscribe', 'resources/unsubscribe']), params: z.looseObject({ uri: z.string().max(2048) }) });


/** A resource URI we serve, or a -32602 naming the ones we do. */
function knownUri(uri: string): { kind: 'overview' } | { kind: 'entity'; entityId: string } {
  if (uri === OVERVIEW_URI) return { kind: 'overview' };
  const entityId = entityIdOf(uri);
  if (entityId === undefined) {
    throw new ResourceNotFoundError(uri, `Unknown resource ${uri.slice(0, 300)}. Use ${OVERVIEW_URI} or ${ENTITY_PREFIX}<entity_id>, e.g. ${ENTITY_PREFIX}light.kitchen.`);
  }
  if (entityId === null) throw new ProtocolError(ProtocolErrorCode.InvalidParams, `The entity id in ${uri.slice(0, 300)} is not valid percent-encoding.`);
  return { kind: 'entity', entityId };
}

/** Registers the resource handlers; returns the cleanup to run when the server closes. */
export function registerResources(server: Server, deps: AppDeps, subscriptions?: SessionSubscriptions): () => void {
  handle(server, 'resources/list', ListResources, async (request) => {
    const offset = Number(request.params?.cursor ?? 0);
    if (!Number.isInteger(offset) || offset < 0) throw new ProtocolError(ProtocolErrorCode.InvalidParams, 'Invalid cursor: pass the nextCursor of the previous page.');
    const resources: Resource[] = offset === 0 ? [{ uri: OVERVIEW_URI, name: 'overview', title: 'Home overview', mimeType: JSON_TYPE }] : [];
    let cache;
    try {
      cache = liveCache(deps).cache;
    } catch (err) {
      throw asProtocolError(err);
    }
    const ids = [...cache.states()].map((s) => s.entity_id).sort();
    for (const id of ids.slice(offset, offset + PAGE)) {
      resources.push({ uri: `${ENTITY_PREFIX}${id}`, name: id, title: entityName(cache, cache.getState(id), id), mimeType: JSON_TYPE });
    }
    return offset + PAGE < ids.length ? { resources, nextCursor: String(offset + PAGE) } : { resources };
  });

  handle(server, 'resources/templates/list', ListTemplates, async () => ({
    resourceTemplates: [
      { uriTemplate: ENTITY_URI_TEMPLATE, name: 'entity', title: 'Entity state', description: 'Current state and attributes of one entity.', mimeType: JSON_TYPE },
    ],
  }));

  handle(server, 'resources/read', ReadResource, async (request) => {
    const { uri } = request.params;
    const target = knownUri(uri);
    try {
      const { cache } = liveCache(deps);
      const value = target.kind === 'overview' ? await buildOverview(deps.ha, cache) : requireState(cache, target.entityId);
      return { contents: [{ uri, mimeType: JSON_TYPE, text: JSON.stringify(value) }] };
    } catch (err) {
      throw asProtocolError(err, uri);
    }
  });

  handle(server, 'resources/subscribe', Subscribe, async (request) => {
    const { uri } = request.params;
    knownUri(uri);
    if (!subscriptions) {
      throw new ProtocolError(
        ProtocolErrorCode.InvalidRequest,
        'resources/subscribe needs a session: initialize one (Mcp-Session-Id), or on protocol 2026-07-28 open subscriptions/listen with resourceSubscriptions.',
      );
    }
    subscriptions.add(uri);
    return {};
  });
  handle(server, 'resources/unsubscribe', Subscribe, async (request) => {
    subscriptions?.remove(request.params.uri);
    return {};
  });

  const stopList = homeLive(deps.ha.cache).onEntityListChanged(() => {
    server.sendResourceListChanged().catch(() => undefined); // the session may be closing
  });
  return () => {
    stopList();
    subscriptions?.dispose();
  };
}
