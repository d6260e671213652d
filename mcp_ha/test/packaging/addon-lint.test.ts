// The add-on's files pass the add-on linter's schemas and rules, config.yaml's option schema is
// the server's OptionsSchema, and the linter here catches what the real one catches.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { parse, stringify } from 'yaml';
import { OptionsSchema } from '../../src/config/schema.js';
import { lintAddon } from './addonLint.js';

const addonDir = fileURLToPath(new URL('../..', import.meta.url));
const repoRoot = join(addonDir, '..');
const config = parse(readFileSync(join(addonDir, 'config.yaml'), 'utf8')) as Record<string, any>;

t.test('the add-on passes the linter; the only warning is armv7', async (t) => {
  const report = lintAddon(addonDir, repoRoot);
  t.same(report.errors, []);
  t.same(report.warnings, ["config.yaml: architecture 'armv7' is deprecated (Home Assistant 2025.12)"]);
});

t.test('product facts', async (t) => {
  t.equal(config.slug, 'mcp_ha');
  t.equal(config.name, 'MCP Server for Home Assistant');
  t.same([...config.arch].sort(), ['aarch64', 'amd64', 'armv7']);
  t.same(config.ports, { '8099/tcp': 8099 });
  t.equal(config.homeassistant_api, true);
  t.match(config.image, /^ghcr\.io\/[a-z0-9-]+\/[a-z0-9_-]+$/, 'one multi-arch image on GHCR, no {arch}');
  t.notOk('init' in config, 'Docker init (the default) forwards SIGTERM to node');
});

t.test("config.yaml's option schema is the server's OptionsSchema", async (t) => {
  t.same(Object.keys(config.schema).sort(), Object.keys(OptionsSchema.shape).sort());
  t.ok(OptionsSchema.safeParse(config.options).success, 'the default options are valid for the server');

  // Type by type: the Supervisor's type must accept what zod accepts, and no less.
  const kinds: Record<string, RegExp> = {
    string: /^(url|str|password|match|list)/,
    boolean: /^bool\??$/,
    number: /^int/,
    enum: /^list\(/,
    object: /.*/,
  };
  for (const [key, zodType] of Object.entries(OptionsSchema.shape)) {
    let inner: any = (zodType as any).unwrap ? (zodType as any).unwrap() : zodType;
    const spec = config.schema[key];
    if (inner._zod.def.type === 'array') {
      t.ok(Array.isArray(spec), `${key} is a list in config.yaml`);
      inner = inner._zod.def.element;
      if (inner._zod.def.type === 'object') {
        t.same(Object.keys(spec[0]).sort(), Object.keys(inner.shape).sort(), `${key} item fields`);
        continue;
      }
      t.match(spec[0], kinds[inner._zod.def.type] ?? /^$/, `${key} item type`);
      if (inner._zod.def.type === 'enum') t.equal(spec[0], `list(${Object.keys(inner._zod.def.entries).join('|')})?`);
    } else {
      t.notOk(Array.isArray(spec), `${key} is a single value`);
      t.match(spec, kinds[inner._zod.def.type] ?? /^$/, `${key} type`);
    }
  }
  // Ranges the server enforces are the ones the Supervisor's UI enforces.
  for (const key of ['confirmation_timeout_seconds', 'max_sessions', 'session_idle_minutes', 'audit_max_mb'] as const) {
    const m = /^int\((\d+),(\d+)\)\?$/.exec(config.schema[key]);
    t.ok(m, `${key} has a range`);
    const [min, max] = [Number(m?.[1]), Number(m?.[2])];
    const shape = OptionsSchema.shape[key];
    t.ok(shape.safeParse(min).success && shape.safeParse(max).success, `${key}: ${min} and ${max} accepted`);
    t.notOk(shape.safeParse(min - 1).success || shape.safeParse(max + 1).success, `${key}: outside refused`);
  }
  const levels = /^list\((.*)\)\?$/.exec(config.schema.log_level)?.[1]?.split('|') ?? [];
  for (const level of levels) t.ok(OptionsSchema.shape.log_level.safeParse(level).success, `log_level ${level}`);
  const svc = new RegExp(/^match\((.*)\)\?$/.exec(config.schema.allowed_services[0])?.[1] ?? '$^');
  for (const ok of ['light.turn_on', 'light.*', 'input_boolean.toggle']) t.ok(svc.test(ok) && OptionsSchema.shape.allowed_services.safeParse([ok]).success, ok);
  for (const bad of ['light', 'Light.turn_on', '*.turn_on']) t.notOk(svc.test(bad) || OptionsSchema.shape.allowed_services.safeParse([bad]).success, bad);
});

t.test('DOCS.md names every option, the proxy paths, and the armv7 deprecation', async (t) => {
  const docs = readFileSync(join(addonDir, 'DOCS.md'), 'utf8');
  for (const key of Object.keys(config.schema)) t.match(docs, `\`${key}\``, key);
  t.match(docs, /armv7/);
  t.match(docs, /2025\.12/);
  t.match(docs, 'proxy_buffering off;');
  t.match(docs, '/mcp/health');
  for (const section of ['401', '503']) t.match(docs, section);
});

// A scratch copy of the add-on with one file changed.
function mutated(edit: (dir: string, cfg: Record<string, any>) => void) {
  const root = mkdtempSync(join(tmpdir(), 'addon-lint-'));
  const dir = join(root, 'mcp_ha');
  for (const f of ['config.yaml', 'translations', 'DOCS.md', 'CHANGELOG.md', 'Dockerfile', 'icon.png', 'logo.png', 'apparmor.txt']) {
    cpSync(join(addonDir, f), join(dir, f), { recursive: true });
  }
  cpSync(join(repoRoot, 'repository.yaml'), join(root, 'repository.yaml'));
  const cfg = structuredClone(config);
  edit(dir, cfg);
  writeFileSync(join(dir, 'config.yaml'), stringify(cfg));
  try {
    return lintAddon(dir, root);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

t.test('the linter catches what the real one catches', async (t) => {
  const cases: [string, (dir: string, cfg: Record<string, any>) => void, RegExp][] = [
    ['a default value', (_d, c) => (c.init = true), /'init' should be removed, it uses a default value/],
    ['startup: application', (_d, c) => (c.startup = 'application'), /'startup' should be removed/],
    ['options: {}', (_d, c) => (c.options = {}), /'options' should be removed/],
    ['watchdog', (_d, c) => (c.watchdog = 'http://[HOST]:[PORT:8099]/health'), /watchdog/],
    ['ingress with webui', (_d, c) => Object.assign(c, { ingress: true, webui: 'http://[HOST]:[PORT:8099]/' }), /'webui' should be removed/],
    ['auto_uart', (_d, c) => (c.auto_uart = true), /'auto_uart' is deprecated/],
    ['old devices format', (_d, c) => (c.devices = ['/dev/ttyUSB0:/dev/ttyUSB0:rwm']), /deprecated host:container/],
    ['cold backup with a hook', (_d, c) => Object.assign(c, { backup: 'cold', backup_pre: '/run.sh' }), /'backup_pre' is not valid with cold backups/],
    ['full_access with devices', (_d, c) => Object.assign(c, { full_access: true, devices: ['/dev/ttyUSB0'] }), /'full_access' makes/],
    ['an unknown key', (_d, c) => (c.colour = 'blue'), /additional properties/],
    ['a missing required key', (_d, c) => delete c.version, /must have required property 'version'/],
    ['a bad schema type', (_d, c) => (c.schema.read_only = 'boolean?'), /not a Supervisor schema type/],
    ['an option outside the schema', (_d, c) => (c.options.colour = 'blue'), /options\.colour is not in schema/],
    ['a required option without a default', (_d, c) => delete c.options.api_keys, /option api_keys is required/],
    ['build.yaml', (d) => writeFileSync(join(d, 'build.yaml'), 'squash: true\n'), /build\.yaml: deprecated[\s\S]*'squash' is no longer supported/],
    ['an untranslated option', (d) => {
      const tr = parse(readFileSync(join(d, 'translations/en.yaml'), 'utf8'));
      delete tr.configuration.read_only;
      writeFileSync(join(d, 'translations/en.yaml'), stringify(tr));
    }, /option read_only has no translation/],
    ['a translation of no option', (d) => {
      const tr = parse(readFileSync(join(d, 'translations/en.yaml'), 'utf8'));
      tr.configuration.colour = { name: 'Colour', description: 'x' };
      writeFileSync(join(d, 'translations/en.yaml'), stringify(tr));
    }, /configuration\.colour is not an option/],
    ['network keys that are not ports', (_d, c) => (c.ports = { '8100/tcp': 8100 }), /network keys/],
    ['a wrong icon size', (d) => cpSync(join(d, 'logo.png'), join(d, 'icon.png')), /icon\.png: unexpected size 250x100/],
  ];
  for (const [name, edit, expect] of cases) {
    const report = mutated(edit);
    t.match(report.errors.join('\n'), expect, name);
  }
});

const APPARMOR_PARSER = ['/usr/sbin/apparmor_parser', '/sbin/apparmor_parser'].find((p) => existsSync(p));
t.test('apparmor.txt compiles with apparmor_parser', { skip: APPARMOR_PARSER ? false : 'apparmor_parser is not installed (scripts/test installs it)' }, async (t) => {
  // -Q: do not load into the kernel, -K/-T: no cache; the profile is parsed and compiled only.
  const r = spawnSync(APPARMOR_PARSER as string, ['-Q', '-K', '-T', join(addonDir, 'apparmor.txt')], { encoding: 'utf8' });
  t.equal(r.status, 0, r.stderr);
  t.match(readFileSync(join(addonDir, 'apparmor.txt'), 'utf8'), /^profile mcp_ha flags=\(attach_disconnected,mediate_deleted\) \{$/m);
});
