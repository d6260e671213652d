// Shared by the home-context tests: waiting for live updates to reach the cache.

/** Polls `check` until it returns a truthy value (or throws the last failure after `ms`). */
export async function eventually<T>(check: () => Promise<T | undefined | false>, ms = 5_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > until) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}

export type Obj = Record<string, unknown>;

/** Typed views of tool JSON (tests know the shapes). */
export const obj = (v: unknown): Obj => (v ?? {}) as Obj;
export const list = (v: unknown): Obj[] => (v ?? []) as Obj[];

/**
 * All compact rows ("entity_id=state|class|name") of an ha_list_entities answer, whatever their
 * area: each area's lines, a shared-state line "state: id id" read as one row per id.
 */
export function rows(json: Record<string, unknown>): string[] {
  return Object.values((json.by_area ?? {}) as Record<string, string>).flatMap((text) =>
    text.split('\n').flatMap((line) => {
      if (/^[a-z0-9_]+\.[a-z0-9_]+=/.test(line)) return [line];
      const cut = line.indexOf(': ');
      return line.slice(cut + 2).split(' ').map((id) => `${id}=${line.slice(0, cut)}`);
    }),
  );
}

export const rowId = (row: string): string => row.slice(0, row.indexOf('='));
