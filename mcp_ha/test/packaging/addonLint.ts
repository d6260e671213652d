// The Home Assistant add-on linter's checks, in JavaScript: the JSON schemas of
// frenck/action-addon-linter (copied to test/fixtures/addon-schemas) plus the rules it adds on
// top, and the Supervisor's own checks on translations and on the option schema's syntax.
// Run by test/packaging/addon-lint.test.ts and by scripts/lint-addon.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { parse } from 'yaml';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

export interface LintReport {
  errors: string[];
  warnings: string[];
}

type Json = Record<string, unknown>;

const SCHEMA_DIR = new URL('../fixtures/addon-schemas/', import.meta.url);
const DEPRECATED_ARCHES = ['armhf', 'armv7', 'i386'];

// supervisor/addons/options.py RE_SCHEMA_ELEMENT, with JavaScript named groups.
const RE_SCHEMA_ELEMENT = new RegExp(
  '^(?:' +
    '|bool|email|url|port' +
    '|device(?:\\((?<filter>subsystem=[a-z]+)\\))?' +
    '|str(?:\\((?<s_min>\\d+)?,(?<s_max>\\d+)?\\))?' +
    '|password(?:\\((?<p_min>\\d+)?,(?<p_max>\\d+)?\\))?' +
    '|int(?:\\((?<i_min>\\d+)?,(?<i_max>\\d+)?\\))?' +
    '|float(?:\\((?<f_min>[\\d.]+)?,(?<f_max>[\\d.]+)?\\))?' +
    '|match\\((?<match>.*)\\)' +
    '|list\\((?<list>.+)\\)' +
    ')\\??$',
);

function loadSchema(name: string): Json {
  return JSON.parse(readFileSync(new URL(name, SCHEMA_DIR), 'utf8')) as Json;
}

let validators: Record<'config' | 'build' | 'repository' | 'translations', ValidateFunction> | undefined;
function getValidators() {
  if (!validators) {
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(ajv);
    validators = {
      config: ajv.compile(loadSchema('config.schema.json')),
      build: ajv.compile(loadSchema('build.schema.json')),
      repository: ajv.compile(loadSchema('repository.schema.json')),
      translations: ajv.compile(loadSchema('translations.schema.json')),
    };
  }
  return validators;
}

function schemaErrors(file: string, validate: ValidateFunction, data: unknown): string[] {
  if (validate(data)) return [];
  return (validate.errors ?? []).map((e) => `${file}: ${e.instancePath || '(root)'} ${e.message ?? 'is invalid'}${e.params ? ' ' + JSON.stringify(e.params) : ''}`);
}

function readYaml(path: string): unknown {
  return parse(readFileSync(path, 'utf8')) as unknown;
}

/** Every leaf of an add-on option schema ("str?", "int(1,5)", ...) with its dotted path. */
function schemaLeaves(node: unknown, path: string): { path: string; spec: unknown }[] {
  if (Array.isArray(node)) {
    if (node.length !== 1) return [{ path, spec: node }];
    return schemaLeaves(node[0], `${path}[]`);
  }
  if (node && typeof node === 'object') {
    return Object.entries(node as Json).flatMap(([k, v]) => schemaLeaves(v, path ? `${path}.${k}` : k));
  }
  return [{ path, spec: node }];
}

/** Supervisor semantics: a missing option is fine only if its schema (or list item) ends in "?". */
function isOptional(spec: unknown): boolean {
  const item: unknown = Array.isArray(spec) ? spec[0] : spec;
  return typeof item === 'string' && item.endsWith('?');
}

function lintTranslations(dir: string, config: Json, report: LintReport): void {
  const tdir = join(dir, 'translations');
  if (!existsSync(tdir)) {
    report.errors.push('translations/: missing (every option needs a name and a description)');
    return;
  }
  const schema = (config.schema ?? {}) as Json;
  const ports = (config.ports ?? {}) as Json;
  for (const file of readdirSync(tdir).filter((f) => /\.ya?ml$/.test(f))) {
    const rel = `translations/${file}`;
    const data = readYaml(join(tdir, file)) as Json;
    report.errors.push(...schemaErrors(rel, getValidators().translations, data));
    const conf = (data.configuration ?? {}) as Record<string, Json>;
    for (const key of Object.keys(conf)) {
      if (!(key in schema)) report.errors.push(`${rel}: configuration.${key} is not an option in config.yaml's schema`);
    }
    for (const key of Object.keys(schema)) {
      const entry = conf[key];
      if (!entry) {
        report.errors.push(`${rel}: option ${key} has no translation`);
        continue;
      }
      if (!entry.description) report.errors.push(`${rel}: option ${key} has no description`);
      // List-of-dict options: their fields are named too.
      const spec = schema[key];
      const inner: unknown = Array.isArray(spec) ? spec[0] : spec;
      if (inner && typeof inner === 'object') {
        const fields = (entry.fields ?? {}) as Json;
        const want = Object.keys(inner as Json).sort();
        if (!isDeepStrictEqual(Object.keys(fields).sort(), want)) {
          report.errors.push(`${rel}: configuration.${key}.fields should name ${want.join(', ')}`);
        }
      }
    }
    const network = (data.network ?? {}) as Json;
    if (!isDeepStrictEqual(Object.keys(network).sort(), Object.keys(ports).sort())) {
      report.errors.push(`${rel}: network keys ${JSON.stringify(Object.keys(network))} must match config.yaml ports ${JSON.stringify(Object.keys(ports))}`);
    }
  }
}

function pngSize(path: string): { width: number; height: number } | undefined {
  const b = readFileSync(path);
  if (b.length < 24 || b.toString('latin1', 1, 4) !== 'PNG' || b.toString('latin1', 12, 16) !== 'IHDR') return undefined;
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
}

/** Lints the add-on in `dir` (the folder with config.yaml); `repoRoot` holds repository.yaml. */
export function lintAddon(dir: string, repoRoot = join(dir, '..')): LintReport {
  const report: LintReport = { errors: [], warnings: [] };
  const v = getValidators();
  const configSchema = loadSchema('config.schema.json');
  const props = configSchema.properties as Record<string, Json>;

  if (existsSync(join(dir, 'config.json'))) report.errors.push('config.json: use config.yaml');
  const config = readYaml(join(dir, 'config.yaml')) as Json;
  report.errors.push(...schemaErrors('config.yaml', v.config, config));

  for (const [key, value] of Object.entries(config)) {
    const def = props[key]?.default;
    if (def !== undefined && isDeepStrictEqual(value, def)) {
      report.errors.push(`config.yaml: '${key}' should be removed, it uses a default value`);
    }
  }
  if ('watchdog' in config) report.errors.push("config.yaml: 'watchdog' is no longer supported, use a Docker HEALTHCHECK");
  if (config.ingress && config.webui) report.errors.push("config.yaml: 'webui' should be removed, Ingress is enabled");
  if (config.ingress && !config.host_network && config.ingress_port === 0) report.errors.push("config.yaml: 'ingress_port' 0 only makes sense on the host network");
  if (config.full_access && ['devices', 'gpio', 'uart', 'usb'].some((k) => k in config)) report.errors.push("config.yaml: 'full_access' makes 'devices', 'uart', 'usb' and 'gpio' unnecessary");
  if (config.full_access) report.warnings.push("config.yaml: 'full_access': consider narrower options such as 'devices'");
  if ('auto_uart' in config) report.errors.push("config.yaml: 'auto_uart' is deprecated, use 'uart'");
  if (((config.devices as string[] | undefined) ?? []).some((d) => String(d).includes(':'))) report.errors.push("config.yaml: 'devices' uses the deprecated host:container format");
  if ('tmpfs' in config && typeof config.tmpfs !== 'boolean') report.errors.push("config.yaml: 'tmpfs' is a boolean now");
  if (config.backup === 'cold') {
    for (const k of ['backup_pre', 'backup_post']) if (k in config) report.errors.push(`config.yaml: '${k}' is not valid with cold backups`);
  }
  for (const arch of (config.arch as string[] | undefined) ?? []) {
    if (DEPRECATED_ARCHES.includes(arch)) report.warnings.push(`config.yaml: architecture '${arch}' is deprecated (Home Assistant 2025.12)`);
  }
  if (typeof config.image === 'string' && config.image !== config.image.toLowerCase()) {
    report.errors.push('config.yaml: image must be lower case (container registries require it)');
  }
  if (config.slug !== undefined && !/^[a-z0-9_]+$/.test(String(config.slug))) report.errors.push('config.yaml: slug must be [a-z0-9_]');

  // The option schema: Supervisor syntax, and options that fit it.
  const schema = (config.schema ?? {}) as Json;
  const options = (config.options ?? {}) as Json;
  for (const leaf of schemaLeaves(schema, '')) {
    if (typeof leaf.spec !== 'string' || !RE_SCHEMA_ELEMENT.test(leaf.spec)) {
      report.errors.push(`config.yaml: schema.${leaf.path}: '${String(leaf.spec)}' is not a Supervisor schema type`);
    } else {
      const m = /^match\((.*)\)\??$/.exec(leaf.spec);
      if (m) {
        try {
          new RegExp(m[1] as string);
        } catch {
          report.errors.push(`config.yaml: schema.${leaf.path}: invalid regular expression`);
        }
      }
    }
  }
  for (const key of Object.keys(options)) {
    if (!(key in schema)) report.errors.push(`config.yaml: options.${key} is not in schema`);
  }
  for (const [key, spec] of Object.entries(schema)) {
    if (!(key in options) && !isOptional(spec)) report.errors.push(`config.yaml: option ${key} is required by its schema but missing from options (add it, or mark it optional with '?')`);
  }
  const ports = (config.ports ?? {}) as Json;
  for (const key of Object.keys((config.ports_description ?? {}) as Json)) {
    if (!(key in ports)) report.errors.push(`config.yaml: ports_description.${key} is not in ports`);
  }

  const buildFile = ['build.yaml', 'build.yml', 'build.json'].find((f) => existsSync(join(dir, f)));
  if (buildFile) {
    report.errors.push(`${buildFile}: deprecated; put the base image in the Dockerfile's FROM with an ARG default`);
    const build = readYaml(join(dir, buildFile)) as Json;
    report.errors.push(...schemaErrors(buildFile, v.build, build));
    for (const key of ['squash', 'codenotary']) if (key in build) report.errors.push(`${buildFile}: '${key}' is no longer supported`);
  }

  lintTranslations(dir, config, report);

  const repoFile = ['repository.yaml', 'repository.yml', 'repository.json'].find((f) => existsSync(join(repoRoot, f)));
  if (!repoFile) report.errors.push('repository.yaml: missing at the repository root');
  else report.errors.push(...schemaErrors(repoFile, v.repository, readYaml(join(repoRoot, repoFile))));

  for (const file of ['DOCS.md', 'CHANGELOG.md', 'Dockerfile']) {
    if (!existsSync(join(dir, file))) report.errors.push(`${file}: missing`);
  }
  for (const [file, want] of [
    ['icon.png', (s: { width: number; height: number }) => s.width === 128 && s.height === 128],
    ['logo.png', (s: { width: number; height: number }) => s.width >= 128 && s.height >= 64],
  ] as const) {
    const path = join(dir, file);
    const size = existsSync(path) ? pngSize(path) : undefined;
    if (!size) report.errors.push(`${file}: missing or not a PNG`);
    else if (!want(size)) report.errors.push(`${file}: unexpected size ${size.width}x${size.height}`);
  }
  const apparmor = join(dir, 'apparmor.txt');
  if (config.apparmor !== false && existsSync(apparmor)) {
    const text = readFileSync(apparmor, 'utf8');
    if (!new RegExp(`^\\s*profile\\s+${String(config.slug)}\\s`, 'm').test(text)) {
      report.errors.push(`apparmor.txt: the profile must be named after the slug (${String(config.slug)})`);
    }
  }
  return report;
}

// scripts/lint-addon: print the report, exit 1 on errors.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dir = process.argv[2] ?? fileURLToPath(new URL('../..', import.meta.url));
  const report = lintAddon(dir);
  const lines = [...report.warnings.map((w) => `warning: ${w}`), ...report.errors.map((e) => `error: ${e}`)];
  lines.push(`add-on lint: ${report.errors.length} error(s), ${report.warnings.length} warning(s)`);
  process.stdout.write(lines.join('\n') + '\n');
  process.exitCode = report.errors.length ? 1 : 0;
}
