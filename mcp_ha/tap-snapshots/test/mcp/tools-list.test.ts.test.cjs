/* IMPORTANT
 * This snapshot file is auto-generated, but designed for humans.
 * It should be checked into source control and tracked carefully.
 * Re-generate by setting TAP_SNAPSHOT=1 and running tests.
 * Make sure to inspect the output below.  Do not ignore changes!
 */
'use strict'
exports[`test/mcp/tools-list.test.ts > TAP > tools/list through MCP > tools/list 1`] = `
Array [
  Object {
    "annotations": Object {
      "destructiveHint": false,
      "idempotentHint": true,
      "openWorldHint": false,
      "readOnlyHint": true,
    },
    "description": "Start here: entity counts per domain, floors and areas, capabilities, energy now, service domains, and entities needing attention.",
    "inputSchema": Object {
      "properties": Object {},
      "type": "object",
    },
    "name": "ha_overview",
    "outputSchema": Object {
      "properties": Object {
        "area_ranges": Object {
          "type": "string",
        },
        "areas": Object {
          "type": "array",
        },
        "attention": Object {
          "type": "object",
        },
        "capabilities": Object {
          "type": "object",
        },
        "domains": Object {
          "type": "object",
        },
        "energy": Object {
          "type": "object",
        },
        "entities_without_area": Object {
          "type": "number",
        },
        "floors": Object {
          "type": "object",
        },
        "home": Object {
          "type": "object",
        },
        "names": Object {
          "type": "object",
        },
        "note": Object {
          "type": "string",
        },
        "service_domains": Object {
          "type": "array",
        },
        "stale": Object {
          "type": "boolean",
        },
      },
      "required": Array [
        "home",
        "domains",
        "floors",
        "areas",
        "entities_without_area",
        "capabilities",
        "energy",
        "service_domains",
        "attention",
        "stale",
      ],
      "type": "object",
    },
    "title": "Home overview",
  },
  Object {
    "annotations": Object {
      "destructiveHint": false,
      "idempotentHint": true,
      "openWorldHint": false,
      "readOnlyHint": true,
    },
    "description": "Fuzzy search by name, entity_id, alias, area or device (typos ok); best matches first with a 0-1 score.",
    "inputSchema": Object {
      "properties": Object {
        "area": Object {
          "description": "Area id or name",
          "maxLength": 255,
          "type": "string",
        },
        "domain": Object {
          "maxLength": 64,
          "pattern": "^[a-z0-9_]+$",
          "type": "string",
        },
        "limit": Object {
          "default": 10,
          "maximum": 50,
          "minimum": 1,
          "type": "integer",
        },
        "offset": Object {
          "default": 0,
          "maximum": 450,
          "minimum": 0,
          "type": "integer",
        },
        "query": Object {
          "description": "e.g. \\"kitchen light\\"",
          "maxLength": 200,
          "minLength": 1,
          "type": "string",
        },
      },
      "required": Array [
        "query",
      ],
      "type": "object",
    },
    "name": "ha_search_entities",
    "outputSchema": Object {
      "properties": Object {
        "has_more": Object {
          "type": "boolean",
        },
        "offset": Object {
          "type": "integer",
        },
        "results": Object {
          "type": "array",
        },
        "stale": Object {
          "type": "boolean",
        },
      },
      "required": Array [
        "results",
        "offset",
        "has_more",
        "stale",
      ],
      "type": "object",
    },
    "title": "Search entities",
  },
  Object {
    "annotations": Object {
      "destructiveHint": false,
      "idempotentHint": true,
      "openWorldHint": false,
      "readOnlyHint": true,
    },
    "description": "Entities, filterable. Compact: per area one string, a line per entity \\"entity_id=state|device_class|name\\" (state with unit; class and name only when the id does not say them); entities sharing a state are one line \\"state: entity_id entity_id ...\\".",
    "inputSchema": Object {
      "properties": Object {
        "area": Object {
          "description": "Area id or name",
          "maxLength": 255,
          "type": "string",
        },
        "detail": Object {
          "default": "compact",
          "description": "compact: rows by area; summary: objects with key attributes; full: raw states",
          "enum": Array [
            "compact",
            "summary",
            "full",
          ],
          "type": "string",
        },
        "device_class": Object {
          "maxLength": 255,
          "type": "string",
        },
        "domain": Object {
          "maxLength": 64,
          "pattern": "^[a-z0-9_]+$",
          "type": "string",
        },
        "entity_ids": Object {
          "items": Object {
            "maxLength": 255,
            "minLength": 1,
            "type": "string",
          },
          "maxItems": 500,
          "type": "array",
        },
        "floor": Object {
          "description": "Floor id or name",
          "maxLength": 255,
          "type": "string",
        },
        "label": Object {
          "description": "Label id or name",
          "maxLength": 255,
          "type": "string",
        },
        "limit": Object {
          "default": 100,
          "description": "Max items (default 100)",
          "maximum": 1000,
          "minimum": 1,
          "type": "integer",
        },
        "offset": Object {
          "default": 0,
          "description": "Items to skip",
          "minimum": 0,
          "type": "integer",
        },
        "state": Object {
          "description": "Exact state, e.g. \\"on\\"",
          "maxLength": 255,
          "type": "string",
        },
      },
      "type": "object",
    },
    "name": "ha_list_entities",
    "outputSchema": Object {
      "properties": Object {
        "by_area": Object {
          "type": "object",
        },
        "entities": Object {
          "type": "array",
        },
        "has_more": Object {
          "type": "boolean",
        },
        "offset": Object {
          "type": "integer",
        },
        "stale": Object {
          "type": "boolean",
        },
        "states": Object {
          "type": "array",
        },
        "total": Object {
          "type": "integer",
        },
      },
      "required": Array [
        "total",
        "offset",
        "has_more",
        "stale",
      ],
      "type": "object",
    },
    "title": "List entities",
  },
  Object {
    "annotations": Object {
      "destructiveHint": false,
      "idempotentHint": true,
      "openWorldHint": false,
      "readOnlyHint": true,
    },
    "description": "Full state objects (state, attributes, timestamps). Filter by domain or entity_ids; paginated. Prefer ha_list_entities for a compact overview.",
    "inputSchema": Object {
      "properties": Object {
        "domain": Object {
          "description": "Only this domain, e.g. \\"light\\"",
          "maxLength": 64,
          "pattern": "^[a-z0-9_]+$",
          "type": "string",
        },
        "entity_ids": Object {
          "description": "Only these entities",
          "items": Object {
            "maxLength": 255,
            "minLength": 1,
            "type": "string",
          },
          "maxItems": 500,
          "type": "array",
        },
        "limit": Object {
          "default": 100,
          "description": "Max items (default 100)",
          "maximum": 1000,
          "minimum": 1,
          "type": "integer",
        },
        "offset": Object {
          "default": 0,
          "description": "Items to skip",
          "minimum": 0,
          "type": "integer",
        },
      },
      "type": "object",
    },
    "name": "ha_list_states",
    "outputSchema": Object {
      "properties": Object {
        "has_more": Object {
          "type": "boolean",
        },
        "offset": Object {
          "type": "integer",
        },
        "stale": Object {
          "type": "boolean",
        },
        "states": Object {
          "type": "array",
        },
        "total": Object {
          "type": "integer",
        },
      },
      "required": Array [
        "states",
        "total",
        "offset",
        "has_more",
        "stale",
      ],
      "type": "object",
    },
    "title": "List entity states",
  },
  Object {
    "annotations": Object {
      "destructiveHint": false,
      "idempotentHint": true,
      "openWorldHint": false,
      "readOnlyHint": true,
    },
    "description": "Current state and attributes of one entity. Unknown ids get the closest matches.",
    "inputSchema": Object {
      "properties": Object {
        "entity_id": Object {
          "description": "e.g. \\"light.kitchen\\"",
          "maxLength": 255,
          "minLength": 1,
          "type": "string",
        },
      },
      "required": Array [
        "entity_id",
      ],
      "type": "object",
    },
    "name": "ha_get_state",
    "outputSchema": Object {
      "properties": Object {
        "stale": Object {
          "type": "boolean",
        },
        "state": Object {
          "type": "object",
        },
      },
      "required": Array [
        "state",
        "stale",
      ],
      "type": "object",
    },
    "title": "Get one entity state",
  },
  Object {
    "annotations": Object {
      "destructiveHint": false,
      "idempotentHint": true,
      "openWorldHint": false,
      "readOnlyHint": true,
    },
    "description": "Areas, floors, labels or devices with their ids and entity counts (devices list their entity_ids).",
    "inputSchema": Object {
      "properties": Object {
        "area": Object {
          "description": "Devices in this area (id or name)",
          "maxLength": 255,
          "type": "string",
        },
        "floor": Object {
          "description": "Areas or devices on this floor (id or name)",
          "maxLength": 255,
          "type": "string",
        },
        "kind": Object {
          "default": "areas",
          "enum": Array [
            "areas",
            "floors",
            "labels",
            "devices",
          ],
          "type": "string",
        },
        "limit": Object {
          "default": 100,
          "description": "Max items (default 100)",
          "maximum": 1000,
          "minimum": 1,
          "type": "integer",
        },
        "offset": Object {
          "default": 0,
          "description": "Items to skip",
          "minimum": 0,
          "type": "integer",
        },
      },
      "type": "object",
    },
    "name": "ha_list_registry",
    "outputSchema": Object {
      "properties": Object {
        "has_more": Object {
          "type": "boolean",
        },
        "items": Object {
          "type": "array",
        },
        "offset": Object {
          "type": "integer",
        },
        "stale": Object {
          "type": "boolean",
        },
        "total": Object {
          "type": "integer",
        },
      },
      "required": Array [
        "items",
        "total",
        "offset",
        "has_more",
        "stale",
      ],
      "type": "object",
    },
    "title": "List areas, floors, labels or devices",
  },
  Object {
    "annotations": Object {
      "destructiveHint": false,
      "idempotentHint": true,
      "openWorldHint": false,
      "readOnlyHint": true,
    },
    "description": "Automations and scripts: id, name, state (on/off), last_triggered, mode, current runs.",
    "inputSchema": Object {
      "properties": Object {
        "domain": Object {
          "description": "Default: both",
          "enum": Array [
            "automation",
            "script",
          ],
          "type": "string",
        },
        "limit": Object {
          "default": 100,
          "description": "Max items (default 100)",
          "maximum": 1000,
          "minimum": 1,
          "type": "integer",
        },
        "offset": Object {
          "default": 0,
          "description": "Items to skip",
          "minimum": 0,
          "type": "integer",
        },
        "state": Object {
          "description": "e.g. \\"off\\" for disabled automations",
          "maxLength": 255,
          "type": "string",
        },
      },
      "type": "object",
    },
    "name": "ha_list_automations",
    "outputSchema": Object {
      "properties": Object {
        "has_more": Object {
          "type": "boolean",
        },
        "items": Object {
          "type": "array",
        },
        "offset": Object {
          "type": "integer",
        },
        "stale": Object {
          "type": "boolean",
        },
        "total": Object {
          "type": "integer",
        },
      },
      "required": Array [
        "items",
        "total",
        "offset",
        "has_more",
        "stale",
      ],
      "type": "object",
    },
    "title": "List automations and scripts",
  },
  Object {
    "annotations": Object {
      "destructiveHint": false,
      "idempotentHint": true,
      "openWorldHint": false,
      "readOnlyHint": true,
    },
    "description": "Energy dashboard: grid, solar, battery, gas, water and device sensors with live values, and power now in W.",
    "inputSchema": Object {
      "properties": Object {
        "prefs": Object {
          "default": false,
          "description": "Include the raw dashboard preferences",
          "type": "boolean",
        },
      },
      "type": "object",
    },
    "name": "ha_get_energy",
    "outputSchema": Object {
      "properties": Object {
        "battery": Object {
          "type": "object",
        },
        "configured": Object {
          "type": "boolean",
        },
        "devices": Object {
          "type": "array",
        },
        "gas": Object {
          "type": "object",
        },
        "grid": Object {
          "type": "object",
        },
        "power_w": Object {
          "type": "object",
        },
        "prefs": Object {
          "type": "object",
        },
        "solar": Object {
          "type": "object",
        },
        "stale": Object {
          "type": "boolean",
        },
        "water": Object {
          "type": "object",
        },
      },
      "required": Array [
        "configured",
        "stale",
      ],
      "type": "object",
    },
    "title": "Energy",
  },
  Object {
    "annotations": Object {
      "destructiveHint": false,
      "idempotentHint": true,
      "openWorldHint": false,
      "readOnlyHint": true,
    },
    "description": "Past of entities: state runs, numeric sensors as min/max/mean points. statistics: long-term statistics per period (meters with their total), or \\"list\\".",
    "inputSchema": Object {
      "properties": Object {
        "as": Object {
          "description": "A PNG chart instead",
          "enum": Array [
            "chart",
          ],
          "type": "string",
        },
        "end": Object {
          "description": "Default now",
          "maxLength": 40,
          "minLength": 1,
          "type": "string",
        },
        "entity_ids": Object {
          "description": "Required except for statistics \\"list\\"",
          "items": Object {
            "maxLength": 255,
            "minLength": 1,
            "type": "string",
          },
          "maxItems": 50,
          "minItems": 1,
          "type": "array",
        },
        "points": Object {
          "default": 48,
          "description": "Max points per entity",
          "maximum": 500,
          "minimum": 2,
          "type": "integer",
        },
        "significant_changes_only": Object {
          "default": true,
          "type": "boolean",
        },
        "start": Object {
          "description": "ISO 8601 or relative: \\"-24h\\", \\"yesterday\\", \\"this week\\"... (home time zone). Default -24h",
          "maxLength": 40,
          "minLength": 1,
          "type": "string",
        },
        "statistics": Object {
          "description": "Long-term statistics per period instead of states; \\"list\\": which exist",
          "enum": Array [
            "5minute",
            "hour",
            "day",
            "week",
            "month",
            "list",
          ],
          "type": "string",
        },
      },
      "type": "object",
    },
    "name": "ha_history",
    "outputSchema": Object {
      "properties": Object {
        "end": Object {
          "type": "string",
        },
        "entities": Object {
          "type": "object",
        },
        "has_more": Object {
          "type": "boolean",
        },
        "note": Object {
          "type": "string",
        },
        "start": Object {
          "type": "string",
        },
        "time_zone": Object {
          "type": "string",
        },
      },
      "required": Array [
        "time_zone",
        "entities",
        "has_more",
      ],
      "type": "object",
    },
    "title": "History and statistics",
  },
  Object {
    "annotations": Object {
      "destructiveHint": false,
      "idempotentHint": true,
      "openWorldHint": false,
      "readOnlyHint": true,
    },
    "description": "What happened and who or what did it (user, automation, script), newest first. Filter by entities, area or domain; paginated.",
    "inputSchema": Object {
      "properties": Object {
        "area": Object {
          "description": "Area id or name",
          "maxLength": 255,
          "type": "string",
        },
        "domain": Object {
          "maxLength": 64,
          "pattern": "^[a-z0-9_]+$",
          "type": "string",
        },
        "end": Object {
          "description": "Default now",
          "maxLength": 40,
          "minLength": 1,
          "type": "string",
        },
        "entity_ids": Object {
          "items": Object {
            "maxLength": 255,
            "minLength": 1,
            "type": "string",
          },
          "maxItems": 50,
          "minItems": 1,
          "type": "array",
        },
        "limit": Object {
          "default": 50,
          "maximum": 500,
          "minimum": 1,
          "type": "integer",
        },
        "offset": Object {
          "default": 0,
          "maximum": 100000,
          "minimum": 0,
          "type": "integer",
        },
        "start": Object {
          "description": "ISO 8601 or relative: \\"-24h\\", \\"yesterday\\", \\"this week\\"... Default -24h",
          "maxLength": 40,
          "minLength": 1,
          "type": "string",
        },
      },
      "type": "object",
    },
    "name": "ha_logbook",
    "outputSchema": Object {
      "properties": Object {
        "end": Object {
          "type": "string",
        },
        "entries": Object {
          "type": "array",
        },
        "has_more": Object {
          "type": "boolean",
        },
        "note": Object {
          "type": "string",
        },
        "offset": Object {
          "type": "number",
        },
        "start": Object {
          "type": "string",
        },
        "time_zone": Object {
          "type": "string",
        },
        "total": Object {
          "type": "number",
        },
      },
      "required": Array [
        "time_zone",
        "start",
        "end",
        "entries",
        "total",
        "offset",
        "has_more",
      ],
      "type": "object",
    },
    "title": "Logbook",
  },
  Object {
    "annotations": Object {
      "destructiveHint": false,
      "idempotentHint": true,
      "openWorldHint": false,
      "readOnlyHint": true,
    },
    "description": "Why an automation or script ran or not: its last runs (time, result, trigger, error); with run_id, the path taken.",
    "inputSchema": Object {
      "properties": Object {
        "id": Object {
          "description": "Automation/script entity_id or id; default all",
          "maxLength": 255,
          "type": "string",
        },
        "limit": Object {
          "default": 10,
          "maximum": 50,
          "minimum": 1,
          "type": "integer",
        },
        "offset": Object {
          "default": 0,
          "maximum": 1000,
          "minimum": 0,
          "type": "integer",
        },
        "run_id": Object {
          "description": "\\"latest\\" or a listed run",
          "maxLength": 64,
          "minLength": 1,
          "type": "string",
        },
      },
      "type": "object",
    },
    "name": "ha_trace",
    "outputSchema": Object {
      "properties": Object {
        "has_more": Object {
          "type": "boolean",
        },
        "note": Object {
          "type": "string",
        },
        "path": Object {
          "type": "array",
        },
        "result": Object {
          "type": "string",
        },
        "runs": Object {
          "type": "array",
        },
        "time_zone": Object {
          "type": "string",
        },
        "total": Object {
          "type": "number",
        },
      },
      "required": Array [
        "time_zone",
        "has_more",
      ],
      "type": "object",
    },
    "title": "Traces",
  },
  Object {
    "annotations": Object {
      "destructiveHint": false,
      "idempotentHint": true,
      "openWorldHint": false,
      "readOnlyHint": true,
    },
    "description": "A camera's current picture.",
    "inputSchema": Object {
      "properties": Object {
        "entity_id": Object {
          "maxLength": 255,
          "minLength": 1,
          "type": "string",
        },
        "max_edge": Object {
          "default": 768,
          "maximum": 1568,
          "minimum": 64,
          "type": "integer",
        },
      },
      "required": Array [
        "entity_id",
      ],
      "type": "object",
    },
    "name": "ha_camera",
    "outputSchema": Object {
      "properties": Object {
        "image": Object {
          "type": "string",
        },
      },
      "required": Array [
        "image",
      ],
      "type": "object",
    },
    "title": "Camera",
  },
  Object {
    "annotations": Object {
      "destructiveHint": false,
      "idempotentHint": true,
      "openWorldHint": false,
      "readOnlyHint": true,
    },
    "description": "Calendar events in a period, or a to-do list's items.",
    "inputSchema": Object {
      "properties": Object {
        "end": Object {
          "maxLength": 40,
          "minLength": 1,
          "type": "string",
        },
        "entity_id": Object {
          "description": "calendar.* (default all) or todo.*",
          "maxLength": 255,
          "minLength": 1,
          "type": "string",
        },
        "offset": Object {
          "default": 0,
          "maximum": 100000,
          "minimum": 0,
          "type": "integer",
        },
        "start": Object {
          "description": "Default now, for 7d",
          "maxLength": 40,
          "minLength": 1,
          "type": "string",
        },
        "status": Object {
          "enum": Array [
            "needs_action",
            "completed",
          ],
          "type": "string",
        },
      },
      "type": "object",
    },
    "name": "ha_calendar",
    "outputSchema": Object {
      "properties": Object {
        "entries": Object {
          "type": "array",
        },
        "has_more": Object {
          "type": "boolean",
        },
        "note": Object {
          "type": "string",
        },
        "period": Object {
          "type": "string",
        },
      },
      "required": Array [
        "entries",
        "has_more",
      ],
      "type": "object",
    },
    "title": "Calendars",
  },
  Object {
    "annotations": Object {
      "destructiveHint": true,
      "idempotentHint": false,
      "openWorldHint": false,
      "readOnlyHint": false,
    },
    "description": "Create or delete calendar events; add, update, complete or remove to-do items. Subject to the policy.",
    "inputSchema": Object {
      "properties": Object {
        "action": Object {
          "enum": Array [
            "create_event",
            "delete_event",
            "add_item",
            "update_item",
            "complete_item",
            "remove_item",
          ],
          "type": "string",
        },
        "confirm_token": Object {
          "maxLength": 255,
          "minLength": 1,
          "type": "string",
        },
        "description": Object {
          "maxLength": 1000,
          "minLength": 1,
          "type": "string",
        },
        "due": Object {
          "maxLength": 40,
          "minLength": 1,
          "type": "string",
        },
        "end": Object {
          "maxLength": 40,
          "minLength": 1,
          "type": "string",
        },
        "entity_id": Object {
          "maxLength": 255,
          "minLength": 1,
          "type": "string",
        },
        "location": Object {
          "maxLength": 1000,
          "minLength": 1,
          "type": "string",
        },
        "rename": Object {
          "maxLength": 1000,
          "minLength": 1,
          "type": "string",
        },
        "start": Object {
          "description": "A date alone: all day",
          "maxLength": 40,
          "minLength": 1,
          "type": "string",
        },
        "summary": Object {
          "description": "Event title, or the item",
          "maxLength": 1000,
          "minLength": 1,
          "type": "string",
        },
      },
      "required": Array [
        "action",
        "entity_id",
        "summary",
      ],
      "type": "object",
    },
    "name": "ha_calendar_edit",
    "outputSchema": Object {
      "properties": Object {
        "audit_id": Object {
          "type": "string",
        },
        "done": Object {
          "type": "string",
        },
      },
      "required": Array [
        "done",
      ],
      "type": "object",
    },
    "title": "Edit calendars",
  },
  Object {
    "annotations": Object {
      "destructiveHint": false,
      "idempotentHint": true,
      "openWorldHint": false,
      "readOnlyHint": true,
    },
    "description": "Services per domain: names, field names, required fields. Give domain and service for full field details (selectors, ranges, options).",
    "inputSchema": Object {
      "properties": Object {
        "domain": Object {
          "description": "Only this domain, e.g. \\"light\\"",
          "maxLength": 64,
          "pattern": "^[a-z0-9_]+$",
          "type": "string",
        },
        "limit": Object {
          "default": 100,
          "description": "Max items (default 100)",
          "maximum": 1000,
          "minimum": 1,
          "type": "integer",
        },
        "offset": Object {
          "default": 0,
          "description": "Items to skip",
          "minimum": 0,
          "type": "integer",
        },
        "service": Object {
          "description": "With domain: full details of this service",
          "maxLength": 255,
          "pattern": "^[a-z0-9_]+$",
          "type": "string",
        },
      },
      "type": "object",
    },
    "name": "ha_list_services",
    "outputSchema": Object {
      "properties": Object {
        "domains": Object {
          "type": "array",
        },
        "has_more": Object {
          "type": "boolean",
        },
        "offset": Object {
          "type": "integer",
        },
        "service": Object {
          "type": "object",
        },
        "total": Object {
          "type": "integer",
        },
      },
      "required": Array [
        "total",
        "offset",
        "has_more",
      ],
      "type": "object",
    },
    "title": "List services",
  },
  Object {
    "annotations": Object {
      "destructiveHint": true,
      "idempotentHint": false,
      "openWorldHint": false,
      "readOnlyHint": false,
    },
    "description": "Call a Home Assistant service, e.g. light.turn_on, on entity_id or target. Subject to the add-on's service policy; may ask for confirmation.",
    "inputSchema": Object {
      "properties": Object {
        "confirm_token": Object {
          "description": "Token from a confirmation_required answer, to confirm that exact call",
          "maxLength": 255,
          "type": "string",
        },
        "domain": Object {
          "description": "e.g. \\"light\\"",
          "maxLength": 64,
          "pattern": "^[a-z0-9_]+$",
          "type": "string",
        },
        "entity_id": Object {
          "anyOf": Array [
            Object {
              "maxLength": 255,
              "minLength": 1,
              "type": "string",
            },
            Object {
              "items": Object {
                "maxLength": 255,
                "minLength": 1,
                "type": "string",
              },
              "maxItems": 200,
              "minItems": 1,
              "type": "array",
            },
          ],
          "description": "Entity id(s) to act on",
        },
        "return_response": Object {
          "description": "For services that return data, e.g. weather.get_forecasts",
          "type": "boolean",
        },
        "service": Object {
          "description": "e.g. \\"turn_on\\"",
          "maxLength": 255,
          "pattern": "^[a-z0-9_]+$",
          "type": "string",
        },
        "service_data": Object {
          "description": "Service fields, e.g. {\\"brightness\\": 128}",
          "type": "object",
        },
        "target": Object {
          "description": "Alternative to entity_id: entities, devices, areas, floors or labels",
          "properties": Object {
            "area_id": Object {
              "anyOf": Array [
                Object {
                  "maxLength": 255,
                  "minLength": 1,
                  "type": "string",
                },
                Object {
                  "items": Object {
                    "maxLength": 255,
                    "minLength": 1,
                    "type": "string",
                  },
                  "maxItems": 200,
                  "minItems": 1,
                  "type": "array",
                },
              ],
            },
            "device_id": Object {
              "anyOf": Array [
                Object {
                  "maxLength": 255,
                  "minLength": 1,
                  "type": "string",
                },
                Object {
                  "items": Object {
                    "maxLength": 255,
                    "minLength": 1,
                    "type": "string",
                  },
                  "maxItems": 200,
                  "minItems": 1,
                  "type": "array",
                },
              ],
            },
            "entity_id": Object {
              "anyOf": Array [
                Object {
                  "maxLength": 255,
                  "minLength": 1,
                  "type": "string",
                },
                Object {
                  "items": Object {
                    "maxLength": 255,
                    "minLength": 1,
                    "type": "string",
                  },
                  "maxItems": 200,
                  "minItems": 1,
                  "type": "array",
                },
              ],
            },
            "floor_id": Object {
              "anyOf": Array [
                Object {
                  "maxLength": 255,
                  "minLength": 1,
                  "type": "string",
                },
                Object {
                  "items": Object {
                    "maxLength": 255,
                    "minLength": 1,
                    "type": "string",
                  },
                  "maxItems": 200,
                  "minItems": 1,
                  "type": "array",
                },
              ],
            },
            "label_id": Object {
              "anyOf": Array [
                Object {
                  "maxLength": 255,
                  "minLength": 1,
                  "type": "string",
                },
                Object {
                  "items": Object {
                    "maxLength": 255,
                    "minLength": 1,
                    "type": "string",
                  },
                  "maxItems": 200,
                  "minItems": 1,
                  "type": "array",
                },
              ],
            },
          },
          "type": "object",
        },
      },
      "required": Array [
        "domain",
        "service",
      ],
      "type": "object",
    },
    "name": "ha_call_service",
    "outputSchema": Object {
      "properties": Object {
        "audit_id": Object {
          "type": "string",
        },
        "changed_states": Object {
          "type": "array",
        },
        "response": Object {},
        "service": Object {
          "type": "string",
        },
        "success": Object {
          "type": "boolean",
        },
        "target": Object {
          "type": "object",
        },
      },
      "required": Array [
        "success",
        "service",
        "target",
        "changed_states",
      ],
      "type": "object",
    },
    "title": "Call a service",
  },
  Object {
    "annotations": Object {
      "destructiveHint": false,
      "idempotentHint": false,
      "openWorldHint": false,
      "readOnlyHint": true,
    },
    "description": "Render a Home Assistant Jinja2 template, e.g. \\"{{ states('sensor.x') }}\\", and return the text.",
    "inputSchema": Object {
      "properties": Object {
        "template": Object {
          "description": "Jinja2 template",
          "maxLength": 20000,
          "minLength": 1,
          "type": "string",
        },
        "variables": Object {
          "description": "Variables available in the template",
          "type": "object",
        },
      },
      "required": Array [
        "template",
      ],
      "type": "object",
    },
    "name": "ha_render_template",
    "outputSchema": Object {
      "properties": Object {
        "result": Object {
          "type": "string",
        },
      },
      "required": Array [
        "result",
      ],
      "type": "object",
    },
    "title": "Render a template",
  },
  Object {
    "annotations": Object {
      "destructiveHint": true,
      "idempotentHint": false,
      "openWorldHint": false,
      "readOnlyHint": false,
    },
    "description": "Undo your last actions (or one by audit id from ha_audit_log): restores each target entity's recorded before-state, or a config edit's previous version, and reports what it could not restore.",
    "inputSchema": Object {
      "properties": Object {
        "all_callers": Object {
          "description": "With last: include other callers' actions",
          "type": "boolean",
        },
        "confirm_token": Object {
          "description": "From a confirmation_required answer",
          "maxLength": 255,
          "type": "string",
        },
        "id": Object {
          "description": "Audit id of one action to undo",
          "maxLength": 255,
          "minLength": 1,
          "type": "string",
        },
        "last": Object {
          "description": "Undo the last N actions (default 1)",
          "maximum": 20,
          "minimum": 1,
          "type": "integer",
        },
      },
      "type": "object",
    },
    "name": "ha_undo",
    "outputSchema": Object {
      "properties": Object {
        "actions": Object {
          "type": "array",
        },
        "not_restored": Object {
          "type": "integer",
        },
        "note": Object {
          "type": "string",
        },
        "restored": Object {
          "type": "integer",
        },
      },
      "required": Array [
        "actions",
        "restored",
        "not_restored",
      ],
      "type": "object",
    },
    "title": "Undo actions",
  },
  Object {
    "annotations": Object {
      "destructiveHint": false,
      "idempotentHint": true,
      "openWorldHint": false,
      "readOnlyHint": true,
    },
    "description": "Writes the AI asked for (allowed, refused, failed), newest first: filter by time, entity, caller, outcome; counts, success rate, median duration.",
    "inputSchema": Object {
      "properties": Object {
        "caller": Object {
          "description": "\\"me\\", or a caller label such as \\"api_key:claude\\"",
          "maxLength": 255,
          "type": "string",
        },
        "entity_id": Object {
          "maxLength": 255,
          "minLength": 1,
          "type": "string",
        },
        "id": Object {
          "description": "One record, in full",
          "maxLength": 255,
          "minLength": 1,
          "type": "string",
        },
        "include_states": Object {
          "default": false,
          "description": "Include before/after entity states",
          "type": "boolean",
        },
        "limit": Object {
          "default": 20,
          "description": "Max records (default 20)",
          "maximum": 200,
          "minimum": 1,
          "type": "integer",
        },
        "offset": Object {
          "default": 0,
          "minimum": 0,
          "type": "integer",
        },
        "outcome": Object {
          "enum": Array [
            "success",
            "refused",
            "failed",
            "pending",
            "unknown",
          ],
          "type": "string",
        },
        "service": Object {
          "description": "e.g. \\"light.turn_on\\"",
          "maxLength": 320,
          "type": "string",
        },
        "since": Object {
          "description": "ISO time, e.g. 2026-01-31T18:00:00Z",
          "maxLength": 255,
          "type": "string",
        },
        "tool": Object {
          "description": "e.g. \\"ha_undo\\"",
          "maxLength": 255,
          "type": "string",
        },
        "until": Object {
          "description": "ISO time",
          "maxLength": 255,
          "type": "string",
        },
      },
      "type": "object",
    },
    "name": "ha_audit_log",
    "outputSchema": Object {
      "properties": Object {
        "has_more": Object {
          "type": "boolean",
        },
        "offset": Object {
          "type": "integer",
        },
        "records": Object {
          "type": "array",
        },
        "stats": Object {
          "type": "object",
        },
        "total": Object {
          "type": "integer",
        },
      },
      "required": Array [
        "records",
        "stats",
        "total",
        "offset",
        "has_more",
      ],
      "type": "object",
    },
    "title": "Audit log",
  },
  Object {
    "annotations": Object {
      "destructiveHint": true,
      "idempotentHint": false,
      "openWorldHint": false,
      "readOnlyHint": false,
    },
    "description": "Home Assistant health: error log tail, system_log, repairs, updates, check_config, notifications; notify, dismiss; restart or reload (confirmed).",
    "inputSchema": Object {
      "properties": Object {
        "action": Object {
          "enum": Array [
            "log",
            "system_log",
            "repairs",
            "updates",
            "check_config",
            "notifications",
            "notify",
            "dismiss",
            "restart",
            "reload",
          ],
          "type": "string",
        },
        "confirm_token": Object {
          "maxLength": 255,
          "type": "string",
        },
        "integration": Object {
          "description": "Logs: e.g. \\"zha\\"",
          "maxLength": 64,
          "pattern": "^[a-z0-9_]+$",
          "type": "string",
        },
        "level": Object {
          "description": "Logs: this level and up",
          "enum": Array [
            "debug",
            "info",
            "warning",
            "error",
            "critical",
          ],
          "type": "string",
        },
        "limit": Object {
          "default": 50,
          "maximum": 500,
          "minimum": 1,
          "type": "integer",
        },
        "message": Object {
          "maxLength": 4000,
          "minLength": 1,
          "type": "string",
        },
        "notification_id": Object {
          "maxLength": 255,
          "type": "string",
        },
        "offset": Object {
          "default": 0,
          "maximum": 100000,
          "minimum": 0,
          "type": "integer",
        },
        "reload": Object {
          "description": "\\"all\\" (default), \\"core\\" or a domain",
          "maxLength": 64,
          "pattern": "^[a-z0-9_]+$",
          "type": "string",
        },
        "title": Object {
          "maxLength": 255,
          "type": "string",
        },
      },
      "required": Array [
        "action",
      ],
      "type": "object",
    },
    "name": "ha_system",
    "outputSchema": Object {
      "properties": Object {
        "action": Object {
          "type": "string",
        },
        "has_more": Object {
          "type": "boolean",
        },
        "items": Object {
          "type": "array",
        },
        "note": Object {
          "type": "string",
        },
        "result": Object {
          "type": "string",
        },
        "total": Object {
          "type": "number",
        },
      },
      "required": Array [
        "action",
      ],
      "type": "object",
    },
    "title": "Home Assistant system",
  },
  Object {
    "annotations": Object {
      "destructiveHint": true,
      "idempotentHint": false,
      "openWorldHint": false,
      "readOnlyHint": false,
    },
    "description": "Names the household uses for entities (\\"the big lamp\\"), learned from use; search ranks them first. remember/forget when the user says so; share makes one an Assist alias.",
    "inputSchema": Object {
      "properties": Object {
        "action": Object {
          "enum": Array [
            "list",
            "remember",
            "forget",
            "share",
          ],
          "type": "string",
        },
        "confirm_token": Object {
          "maxLength": 255,
          "type": "string",
        },
        "entity_id": Object {
          "maxLength": 255,
          "minLength": 1,
          "type": "string",
        },
        "name": Object {
          "maxLength": 200,
          "type": "string",
        },
        "offset": Object {
          "default": 0,
          "maximum": 10000,
          "minimum": 0,
          "type": "integer",
        },
      },
      "required": Array [
        "action",
      ],
      "type": "object",
    },
    "name": "ha_names",
    "outputSchema": Object {
      "properties": Object {
        "audit_id": Object {
          "type": "string",
        },
        "has_more": Object {
          "type": "boolean",
        },
        "names": Object {
          "type": "array",
        },
        "total": Object {
          "type": "integer",
        },
      },
      "required": Array [
        "names",
        "total",
        "has_more",
      ],
      "type": "object",
    },
    "title": "Household names",
  },
]
`

exports[`test/mcp/tools-list.test.ts > TAP > tools/list with every toolset on > tools/list, the tools beyond the default toolsets 1`] = `
Array [
  Object {
    "annotations": Object {
      "destructiveHint": true,
      "idempotentHint": false,
      "openWorldHint": false,
      "readOnlyHint": false,
    },
    "description": "List, get, create, update or delete automations, scripts, scenes, helpers, dashboards and registry entries (entity, device, area, floor, label) as Home Assistant stores them. Writes are validated (nothing saved on errors), backed up, answered with a diff and undoable with ha_undo. update/delete need the version from get; delete asks the user. Ids: helper \\"<type>.<id>\\" (create: config.type, e.g. input_boolean, counter, timer); entity: entity_id; dashboard: url_path (\\"lovelace\\" is the default) or \\"<url_path>/<view path or index>\\" for one view.",
    "inputSchema": Object {
      "properties": Object {
        "action": Object {
          "enum": Array [
            "list",
            "get",
            "create",
            "update",
            "delete",
          ],
          "type": "string",
        },
        "config": Object {
          "description": "create/update: the whole object",
          "type": "object",
        },
        "confirm_token": Object {
          "description": "From a confirmation_required answer",
          "maxLength": 255,
          "type": "string",
        },
        "id": Object {
          "description": "Object id (create: optional)",
          "maxLength": 255,
          "minLength": 1,
          "type": "string",
        },
        "kind": Object {
          "enum": Array [
            "automation",
            "script",
            "scene",
            "helper",
            "entity",
            "device",
            "area",
            "floor",
            "label",
            "dashboard",
          ],
          "type": "string",
        },
        "offset": Object {
          "description": "list: skip this many",
          "maximum": 100000,
          "minimum": 0,
          "type": "integer",
        },
        "version": Object {
          "description": "From get",
          "maxLength": 64,
          "type": "string",
        },
      },
      "required": Array [
        "kind",
        "action",
      ],
      "type": "object",
    },
    "name": "ha_config",
    "outputSchema": Object {
      "properties": Object {
        "action": Object {
          "type": "string",
        },
        "audit_id": Object {
          "type": "string",
        },
        "backup": Object {
          "type": "string",
        },
        "config": Object {
          "type": "object",
        },
        "diff": Object {
          "type": "array",
        },
        "entity_id": Object {
          "type": "string",
        },
        "has_more": Object {
          "type": "boolean",
        },
        "id": Object {
          "type": "string",
        },
        "items": Object {
          "type": "array",
        },
        "kind": Object {
          "type": "string",
        },
        "note": Object {
          "type": "string",
        },
        "state": Object {
          "type": "string",
        },
        "total": Object {
          "type": "integer",
        },
        "version": Object {
          "type": "string",
        },
      },
      "required": Array [
        "kind",
        "action",
      ],
      "type": "object",
    },
    "title": "Edit configuration",
  },
]
`
