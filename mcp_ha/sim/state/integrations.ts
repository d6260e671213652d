// The integrations a home runs: their manifests (manifest/list, manifest/get) and config entries
// (config_entries/get), as ws-system.json recorded them (sim/data/system.json). The loaded
// integrations are the home's top-level components; a config entry exists for every entry id its
// entity and device registries name, so config_entries/get agrees with the registries.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { HomeData } from '../model.js';

type Dict = Record<string, unknown>;

const here = dirname(fileURLToPath(import.meta.url));
let recorded: { manifests: Dict[]; configEntries: Dict[] } | undefined;
const recordedData = () =>
  (recorded ??= JSON.parse(readFileSync(join(here, '..', 'data', 'system.json'), 'utf8')) as { manifests: Dict[]; configEntries: Dict[] });

/** A manifest for an integration the recording did not load (generated homes), in HA's key order. */
function madeUpManifest(domain: string): Dict {
  return {
    domain,
    name: titleOf(domain),
    codeowners: [],
    documentation: `https://www.home-assistant.io/integrations/${domain}`,
    iot_class: 'local_polling',
    is_built_in: true,
    overwrites_built_in: false,
  };
}

const titleOf = (domain: string): string => domain.split('_').map((w, i) => (i === 0 ? w[0]!.toUpperCase() + w.slice(1) : w)).join(' ');

export class Integrations {
  private readonly manifests = new Map<string, Dict>();
  /** Top-level components, in the recorded manifest order, then the home's own. */
  private readonly loaded: string[];
  private readonly entries: Dict[];

  constructor(data: HomeData) {
    const rec = recordedData();
    for (const m of rec.manifests) this.manifests.set(String(m.domain), m);
    const components = new Set(((data.config.components as string[] | undefined) ?? []).filter((c) => !c.includes('.')));
    for (const c of components) if (!this.manifests.has(c)) this.manifests.set(c, madeUpManifest(c));
    this.loaded = [...this.manifests.keys()].filter((d) => components.has(d));
    this.entries = configEntries(data, rec.configEntries, (d) => String(this.manifests.get(d)?.name ?? titleOf(d)));
  }

  /** manifest/list: the loaded integrations, or the wanted ones that exist (unknown names skipped). */
  list(wanted?: string[]): Dict[] {
    return (wanted ?? this.loaded).flatMap((d) => {
      const m = this.manifests.get(d);
      return m ? [m] : [];
    });
  }

  manifest(domain: string): Dict | undefined {
    return this.manifests.get(domain);
  }

  /**
   * config_entries/get. With a type filter, an entry counts when its integration's type (default
   * "hub") is in it; an integration without a manifest is kept unless the filter is just ["helper"].
   */
  configEntries(domain?: string, typeFilter?: string[]): Dict[] {
    const entries = domain === undefined ? this.entries : this.entries.filter((e) => e.domain === domain);
    if (!typeFilter?.length) return entries;
    const onlyHelpers = typeFilter.length === 1 && typeFilter[0] === 'helper';
    return entries.filter((e) => {
      const m = this.manifests.get(String(e.domain));
      return m ? typeFilter.includes(String(m.integration_type ?? 'hub')) : !onlyHelpers;
    });
  }
}

/**
 * One entry per config entry id the registries use, in the recorded entries' order (created
 * first), with the recorded entry of that domain as its form; times end half an hour ago.
 */
function configEntries(data: HomeData, recordedEntries: Dict[], title: (domain: string) => string): Dict[] {
  const ids = new Map<string, string>();
  for (const e of data.entities) {
    if (typeof e.config_entry_id === 'string' && !ids.has(e.config_entry_id)) ids.set(e.config_entry_id, String(e.platform));
  }
  for (const d of data.devices) {
    const entry = d.primary_config_entry;
    const domain = (d.identifiers as [string, string][] | undefined)?.[0]?.[0];
    if (typeof entry === 'string' && !ids.has(entry) && domain) ids.set(entry, domain);
  }
  const byDomain = new Map(recordedEntries.map((e) => [String(e.domain), e]));
  const order = (domain: string) => {
    const i = recordedEntries.findIndex((e) => e.domain === domain);
    return i < 0 ? recordedEntries.length : i;
  };
  const newest = Math.max(...recordedEntries.map((e) => Number(e.modified_at)));
  const shift = Date.now() / 1000 - 1800 - newest;
  const template = recordedEntries[0]!;
  return [...ids]
    .sort((a, b) => order(a[1]) - order(b[1]))
    .map(([entryId, domain]) => {
      const rec = byDomain.get(domain);
      const base = rec ?? { ...template, title: title(domain), source: 'user' };
      return { ...base, created_at: Number(base.created_at) + shift, entry_id: entryId, domain, modified_at: Number(base.modified_at) + shift };
    });
}
