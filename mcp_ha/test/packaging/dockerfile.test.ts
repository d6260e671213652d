// The Dockerfile's required properties, and the hadolint rules that matter for it. hadolint
// itself runs in GitHub CI (it is neither on npm nor in Debian); this test runs everywhere.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { execForm, labels, parseDockerfile, type Stage } from './dockerfile.js';

const addonDir = fileURLToPath(new URL('../..', import.meta.url));
const df = parseDockerfile(join(addonDir, 'Dockerfile'));
const last = df.stages[df.stages.length - 1] as Stage;
const byName = new Map(df.stages.filter((s) => s.name).map((s) => [s.name as string, s]));
const runs = (s: Stage) => s.body.filter((i) => i.keyword === 'RUN').map((i) => i.args);

t.test('the base image is an ARG with a default, declared before the first FROM', async (t) => {
  const arg = df.globalArgs.find((a) => /^NODE_IMAGE=\S+/.test(a.args));
  t.ok(arg, 'ARG NODE_IMAGE=<default>');
  t.match(arg?.args ?? '', /^NODE_IMAGE=node:\d+-alpine/, 'Node LTS on Alpine');
  for (const s of df.stages) {
    t.ok(s.image === '${NODE_IMAGE}' || /^runtime-\$\{TARGETARCH\}$/.test(s.image) || byName.has(s.image), `line ${s.from.line}: FROM ${s.image}`);
  }
});

t.test('multi-stage: TypeScript built once on the build platform, runtime with no build step', async (t) => {
  t.ok(df.stages.length >= 3);
  const building = df.stages.filter((s) => runs(s).some((r) => /npm run build/.test(r)));
  t.equal(building.length, 1, 'one stage compiles');
  t.equal(building[0]?.platform, '$BUILDPLATFORM', 'on the build platform');
  const deps = df.stages.find((s) => runs(s).some((r) => /npm ci\b.*--omit=dev/.test(r)));
  t.ok(deps, 'a stage installs production dependencies only');
  t.equal(deps?.platform, '$BUILDPLATFORM', 'also on the build platform (plain JavaScript)');

  t.same(runs(last), [], 'the runtime stage runs nothing: no compilers, no package manager, no emulation');
  const copies = last.body.filter((i) => i.keyword === 'COPY').map((i) => i.args);
  t.ok(copies.some((c) => c.startsWith(`--from=${deps?.name} `) && /node_modules/.test(c)), 'node_modules from the deps stage');
  t.ok(copies.some((c) => c.startsWith(`--from=${building[0]?.name} `) && /dist/.test(c)), 'dist from the build stage');
  t.same(copies.filter((c) => !c.startsWith('--from')), ['package.json entrypoint.sh ./'], 'from the context only package.json (the version) and the entrypoint: no sources');
});

t.test('one runtime per arch, each labelled with its Home Assistant arch', async (t) => {
  t.equal(last.image, 'runtime-${TARGETARCH}');
  t.ok(df.globalArgs.some((a) => a.args === 'TARGETARCH'), 'ARG TARGETARCH before FROM');
  const want: Record<string, string> = { amd64: 'amd64', arm64: 'aarch64', arm: 'armv7' };
  for (const [docker, hass] of Object.entries(want)) {
    const stage = byName.get(`runtime-${docker}`);
    t.ok(stage, `stage runtime-${docker}`);
    t.equal(stage?.image, '${NODE_IMAGE}');
    t.equal(labels(stage?.body ?? [])['io.hass.arch'], hass, `${docker} -> ${hass}`);
  }
  const config = readFileSync(join(addonDir, 'config.yaml'), 'utf8');
  for (const hass of Object.values(want)) t.match(config, new RegExp(`^\\s+- ${hass}$`, 'm'), `config.yaml arch ${hass}`);
});

t.test('io.hass.* and OCI labels', async (t) => {
  const l = labels(last.body);
  t.equal(l['io.hass.type'], 'addon');
  for (const key of ['io.hass.name', 'io.hass.description', 'io.hass.version']) t.ok(l[key], key);
  t.equal(l['io.hass.version'], '${BUILD_VERSION}');
  for (const key of ['title', 'description', 'version', 'revision', 'created', 'source', 'licenses']) {
    t.ok(l[`org.opencontainers.image.${key}`], `org.opencontainers.image.${key}`);
  }
  t.equal(l['org.opencontainers.image.version'], '${BUILD_VERSION}');
  const args = last.body.filter((i) => i.keyword === 'ARG').map((i) => i.args.split('=')[0]);
  for (const a of ['BUILD_VERSION', 'BUILD_REF', 'BUILD_DATE', 'BUILD_REPOSITORY']) t.ok(args.includes(a), `ARG ${a} in the runtime stage`);
});

t.test('ENTRYPOINT is our script run by /bin/sh, CMD the HTTP server, both exec form', async (t) => {
  const cmd = last.body.filter((i) => i.keyword === 'CMD');
  t.equal(cmd.length, 1);
  t.same(execForm(cmd[0]?.args ?? ''), ['node', 'dist/main.js']);
  const entry = df.all.filter((i) => i.keyword === 'ENTRYPOINT');
  t.equal(entry.length, 1, "one ENTRYPOINT (it replaces the Node image's docker-entrypoint.sh)");
  t.equal(entry[0] && last.body.includes(entry[0]), true, 'in the runtime stage');
  // By /bin/sh, not by its mode bits: AppArmor (apparmor.txt) lets /bin/** execute and /app/** be read only.
  t.same(execForm(entry[0]?.args ?? ''), ['/bin/sh', '/app/entrypoint.sh']);
  const workdir = last.body.filter((i) => i.keyword === 'WORKDIR').map((i) => i.args);
  t.equal(workdir[workdir.length - 1], '/app', 'the script is copied to /app');
  t.match(readFileSync(join(addonDir, 'apparmor.txt'), 'utf8'), /^\s*\/bin\/\*\* ix,$/m, 'AppArmor lets /bin/sh run');
  t.match(readFileSync(join(addonDir, 'apparmor.txt'), 'utf8'), /^\s*\/app\/\*\* r,$/m, 'AppArmor lets /app/entrypoint.sh be read');
  t.notOk(last.body.some((i) => i.keyword === 'STOPSIGNAL' && !/SIGTERM/.test(i.args)), 'stop signal stays SIGTERM');
  t.ok(last.body.some((i) => i.keyword === 'EXPOSE' && /\b8099\b/.test(i.args)), 'EXPOSE 8099');
});

t.test('entrypoint.sh: no argument or the CMD runs the HTTP server, `stdio` runs --stdio, always by exec', async (t) => {
  // A fake `node` first on PATH prints its pid and argv: the pid is the shell's own when the
  // script exec'd (so SIGTERM and stdin reach node), and the argv is what node would have run.
  const dir = t.testdir({ bin: { node: '#!/bin/sh\necho "$$ $*"\n' } });
  chmodSync(join(dir, 'bin/node'), 0o755);
  const script = join(addonDir, 'entrypoint.sh');
  const entry = async (...args: string[]) => {
    const child = spawn('/bin/sh', [script, ...args], { env: { PATH: `${join(dir, 'bin')}:${process.env.PATH}` }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    const code = await new Promise<number | null>((r) => child.on('exit', r));
    const [pid, ...argv] = out.trim().split(' ');
    return { code, execd: pid === String(child.pid), argv: argv.join(' ') };
  };
  t.same(await entry('node', 'dist/main.js'), { code: 0, execd: true, argv: 'dist/main.js' }, 'the CMD (the add-on start): node dist/main.js');
  t.same(await entry(), { code: 0, execd: true, argv: `${addonDir.replace(/\/$/, '')}/dist/main.js` }, 'no CMD at all: the HTTP server too');
  t.same(await entry('stdio'), { code: 0, execd: true, argv: `${addonDir.replace(/\/$/, '')}/dist/main.js --stdio` }, 'stdio: node dist/main.js --stdio');
  t.same(await entry('stdio', '--extra'), { code: 0, execd: true, argv: `${addonDir.replace(/\/$/, '')}/dist/main.js --stdio --extra` }, 'arguments after stdio are passed on');
  const other = spawnSync('/bin/sh', [script, 'echo', 'hello'], { encoding: 'utf8' });
  t.equal(other.stdout, 'hello\n', 'another command runs as given');
  t.equal(spawnSync('/bin/sh', [script, 'false']).status, 1, "and its exit status is the container's");
  const text = readFileSync(script, 'utf8');
  t.match(text, /^#!\/bin\/sh\n/, 'POSIX sh (Alpine has no bash)');
  t.match(text, /^set -eu$/m);
  t.equal(text.match(/^exec /gm)?.length, 1, 'one exec, at the end');
});

t.test('HEALTHCHECK on /health, and its command works against a server', async (t) => {
  const hc = last.body.filter((i) => i.keyword === 'HEALTHCHECK');
  t.equal(hc.length, 1);
  const argv = execForm(hc[0]?.args ?? '');
  t.ok(argv, 'exec form');
  t.match(hc[0]?.args, /\/health/);
  let status = 200;
  const server = createServer((req, res) => {
    res.statusCode = req.url === '/health' ? status : 404;
    res.end('{}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.teardown(() => server.close());
  const port = (server.address() as AddressInfo).port;
  t.equal(argv?.[0], 'node');
  const runAsync = (p: number) =>
    new Promise<number | null>((resolve) => spawn(process.execPath, (argv as string[]).slice(1), { env: { MCP_PORT: String(p) } }).on('exit', resolve));
  t.equal(await runAsync(port), 0, 'healthy when /health answers 200');
  status = 500;
  t.equal(await runAsync(port), 1, 'unhealthy when /health fails');
  await new Promise((r) => server.close(r));
  t.equal(await runAsync(port), 1, 'unhealthy when nothing listens');
});

t.test('hadolint rules that apply here', async (t) => {
  for (const ins of df.all) {
    const where = `line ${ins.line} ${ins.keyword}`;
    if (ins.keyword === 'FROM' && !ins.ignored.includes('DL3006')) {
      const image = /(\S+)(?:\s+AS\s+\S+)?$/i.exec(ins.args.replace(/^--platform=\S+\s+/, ''))?.[1] ?? '';
      t.ok(byName.has(image) || image.startsWith('${') || /:[\w.-]+/.test(image), `${where}: DL3006 image tagged`);
    }
    t.notOk(ins.keyword === 'MAINTAINER', `${where}: DL4000`);
    t.notOk(ins.keyword === 'ADD', `${where}: DL3020 COPY, not ADD`);
    if (ins.keyword === 'WORKDIR') t.match(ins.args, /^\//, `${where}: DL3000 absolute WORKDIR`);
    if (ins.keyword === 'RUN') {
      t.notMatch(ins.args, /(^|&&|;)\s*cd\s/, `${where}: DL3003 WORKDIR, not cd`);
      t.notMatch(ins.args, /\bnpm (i|install)\s+[a-z@]/, `${where}: DL3016 npm ci from the lock file`);
      t.notMatch(ins.args, /\bapk add\b(?!.*--no-cache)/, `${where}: DL3019 apk --no-cache`);
      t.notMatch(ins.args, /\|/, `${where}: DL4006 no pipes without pipefail`);
      t.notMatch(ins.args, /\bsudo\b/, `${where}: DL3004`);
    }
    if (ins.keyword === 'CMD' || ins.keyword === 'ENTRYPOINT') t.ok(execForm(ins.args), `${where}: DL3025 JSON form`);
  }
  const argDefault = df.globalArgs.find((a) => a.args.startsWith('NODE_IMAGE='))?.args ?? '';
  t.notMatch(argDefault, /:latest\b/, 'DL3007 no :latest');
  const users = df.all.filter((i) => i.keyword === 'USER');
  t.notOk(users.length && /^root$/.test(users[users.length - 1]?.args ?? ''), 'DL3002 last USER is not an explicit root');
});

t.test('.dockerignore lets in exactly what the Dockerfile copies', async (t) => {
  const ignore = readFileSync(join(addonDir, '.dockerignore'), 'utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  t.equal(ignore[0], '*', 'deny everything by default');
  const allowed = ignore.filter((l) => l.startsWith('!')).map((l) => l.slice(1).replace(/\/$/, ''));
  const sources = df.all
    .filter((i) => i.keyword === 'COPY' && !i.args.startsWith('--from'))
    .flatMap((i) => i.args.split(/\s+/).slice(0, -1));
  for (const src of sources) {
    const clean = src.replace(/\/$/, '');
    t.ok(allowed.includes(clean), `${clean} is let in`);
    t.ok(existsSync(join(addonDir, clean)), `${clean} exists`);
  }
  for (const a of allowed) t.ok(sources.some((s) => s.replace(/\/$/, '') === a), `${a} is used`);
});

t.test('hadolint pragmas ignore only what hadolint cannot see through', async (t) => {
  for (const ins of df.all.filter((i) => i.ignored.length)) {
    t.equal(ins.keyword, 'FROM', `line ${ins.line}: pragma on a FROM`);
    t.ok(ins.ignored.every((r) => r === 'DL3006' || r === 'DL3029'), `line ${ins.line}: ${ins.ignored.join(',')}`);
    if (ins.ignored.includes('DL3029')) t.match(ins.args, /^--platform=\$BUILDPLATFORM /, `line ${ins.line}: only for $BUILDPLATFORM`);
  }
});
