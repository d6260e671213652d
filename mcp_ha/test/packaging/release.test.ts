// The release machinery: version scripts, CHANGELOG sections, the workflows' shape, and the
// publish workflow's decision step run for real in a scratch git repository with a fake docker.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { parse } from 'yaml';

const repo = fileURLToPath(new URL('../../..', import.meta.url));
const script = (name: string) => join(repo, 'scripts', name);
const run = (cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) => {
  const r = spawnSync(cmd, args, { encoding: 'utf8', cwd: opts.cwd ?? repo, env: { ...process.env, ...opts.env } });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

interface Step { uses?: string; run?: string; id?: string; name?: string; if?: string; with?: Record<string, unknown>; env?: Record<string, string>; 'working-directory'?: string }
interface Job { if?: string; steps: Step[]; permissions?: Record<string, string>; needs?: string | string[]; outputs?: Record<string, string>; env?: Record<string, string> }
interface Workflow { on: Record<string, unknown>; permissions?: Record<string, string>; jobs: Record<string, Job> }
const workflow = (name: string) => parse(readFileSync(join(repo, '.github/workflows', name), 'utf8')) as Workflow;

t.test('addon-version, changelog-section, check-versions', async (t) => {
  const version = run(script('addon-version'), []).out.trim();
  const pkg = JSON.parse(readFileSync(join(repo, 'mcp_ha/package.json'), 'utf8')) as { version: string };
  t.equal(version, pkg.version);
  const section = run(script('changelog-section'), [version]);
  t.equal(section.code, 0);
  t.notMatch(section.out, /^## /m, 'only the body of the section');
  t.ok(section.out.trim().length > 0);
  t.equal(run(script('changelog-section'), ['99.9.9']).code, 1, 'no section: exit 1');
  t.equal(run(script('check-versions'), []).code, 0);

  const dir = mkdtempSync(join(tmpdir(), 'versions-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  for (const f of ['config.yaml', 'package.json', 'package-lock.json', 'CHANGELOG.md']) cpSync(join(repo, 'mcp_ha', f), join(dir, f));
  writeFileSync(join(dir, 'config.yaml'), readFileSync(join(dir, 'config.yaml'), 'utf8').replace(/^version: .*$/m, 'version: "9.9.9"'));
  const bad = run(script('check-versions'), [dir]);
  t.equal(bad.code, 1);
  t.match(bad.err, /package\.json has .* config\.yaml has 9\.9\.9/);
  t.match(bad.err, /top CHANGELOG\.md entry/);
});

t.test('every action is pinned', async (t) => {
  for (const name of ['ci.yaml', 'publish.yaml']) {
    for (const [job, def] of Object.entries(workflow(name).jobs)) {
      for (const step of def.steps.filter((s) => s.uses)) {
        const ref = (step.uses as string).split('@')[1] ?? '';
        t.ok(/^[0-9a-f]{40}$/.test(ref) || /^v\d+\.\d+\.\d+$/.test(ref), `${name} ${job}: ${step.uses} pinned to a commit or an exact release`);
      }
    }
  }
});

t.test('CI runs scripts/test, the add-on linter, hadolint, shellcheck and actionlint on pushes and PRs', async (t) => {
  const ci = workflow('ci.yaml');
  t.ok('push' in ci.on && 'pull_request' in ci.on);
  const all = Object.values(ci.jobs).flatMap((j) => j.steps);
  t.ok(all.some((s) => s.run === 'scripts/test'));
  t.ok(all.some((s) => s.uses?.startsWith('frenck/action-addon-linter@') && s.with?.path === './mcp_ha'));
  t.ok(all.some((s) => s.uses?.startsWith('hadolint/hadolint-action@') && s.with?.dockerfile === 'mcp_ha/Dockerfile'));
  t.ok(all.some((s) => /shellcheck/.test(s.run ?? '')));
  t.ok(all.some((s) => /actionlint/.test(s.run ?? '')));
  t.same(ci.permissions, { contents: 'read' });
});

t.test('publish: on main when config.yaml changes, three arches, one manifest, version + latest, release notes', async (t) => {
  const wf = workflow('publish.yaml');
  t.same(wf.on, { push: { branches: ['main'], paths: ['mcp_ha/config.yaml'] } });
  t.match(wf.jobs.check?.if, "!contains(github.event.head_commit.message, '[skip-release]')");
  const publish = wf.jobs.publish as Job;
  t.equal(publish.needs, 'check');
  t.match(publish.if, "needs.check.outputs.publish == 'true'");
  t.same(publish.permissions, { contents: 'write', packages: 'write' });
  const build = publish.steps.find((s) => s.uses?.startsWith('docker/build-push-action@'));
  t.equal(build?.with?.platforms, 'linux/amd64,linux/arm64,linux/arm/v7');
  t.equal(build?.with?.push, true);
  t.equal(build?.with?.context, 'mcp_ha');
  t.same(String(build?.with?.tags).trim().split('\n'), ['${{ env.IMAGE }}:${{ env.VERSION }}', '${{ env.IMAGE }}:latest']);
  t.match(String(build?.with?.['build-args']), /BUILD_VERSION=\$\{\{ env\.VERSION \}\}/);
  const steps = publish.steps.map((s) => s.run ?? '').join('\n');
  t.match(steps, /scripts\/changelog-section "\$VERSION"/);
  t.match(steps, /gh release create "v\$VERSION"[\s\S]*--notes-file/);
  t.ok(publish.steps.findIndex((s) => s.run === 'scripts/test') < publish.steps.indexOf(build as Step), 'tests before the push');
});

t.test("publish's decision step, run in a scratch repository with a fake docker", async (t) => {
  const decide = workflow('publish.yaml').jobs.check?.steps.find((s) => s.id === 'decide')?.run as string;
  t.ok(decide);
  const dir = mkdtempSync(join(tmpdir(), 'publish-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, 'mcp_ha'));
  mkdirSync(join(dir, 'bin'));
  cpSync(join(repo, 'scripts'), join(dir, 'scripts'), { recursive: true });
  for (const f of ['config.yaml', 'package.json', 'package-lock.json', 'CHANGELOG.md']) cpSync(join(repo, 'mcp_ha', f), join(dir, 'mcp_ha', f));
  // `docker buildx imagetools inspect IMAGE:TAG` succeeds only for tags listed in $FAKE_GHCR.
  writeFileSync(join(dir, 'bin/docker'), '#!/usr/bin/env bash\n[[ " $FAKE_GHCR " == *" ${4:-none} "* ]]\n');
  chmodSync(join(dir, 'bin/docker'), 0o755);
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, encoding: 'utf8' }).trim();
  git('init', '-q');
  git('-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-q', '--allow-empty', '-m', 'root');
  const cfg = readFileSync(join(dir, 'mcp_ha/config.yaml'), 'utf8');
  const version = /^version: "?([^"\s]+)"?/m.exec(cfg)?.[1] as string;
  const image = /^image: (\S+)/m.exec(cfg)?.[1] as string;
  const owner = image.split('/')[1] as string;
  writeFileSync(join(dir, 'mcp_ha/config.yaml'), cfg.replace(/^version: .*$/m, 'version: "0.0.1"'));
  git('add', '.');
  git('-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-q', '-m', 'old version');
  const before = git('rev-parse', 'HEAD');
  writeFileSync(join(dir, 'mcp_ha/config.yaml'), cfg);
  git('-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-q', '-am', 'bump');

  const decideWith = (env: Record<string, string>) => {
    const out = join(dir, `output-${Math.random()}`);
    writeFileSync(out, '');
    const r = run('bash', ['-eo', 'pipefail', '-c', decide], {
      cwd: dir,
      env: { PATH: `${join(dir, 'bin')}:${process.env.PATH}`, GITHUB_OUTPUT: out, RUNNER_TEMP: dir, BEFORE: before, OWNER: owner, FAKE_GHCR: '', ...env },
    });
    const outputs = Object.fromEntries(readFileSync(out, 'utf8').trim().split('\n').filter(Boolean).map((l) => l.split('=', 2) as [string, string]));
    return { ...r, outputs };
  };

  const fresh = decideWith({});
  t.equal(fresh.code, 0, fresh.err);
  t.same(fresh.outputs, { publish: 'true', version, image }, 'a new version not on GHCR is published');
  t.equal(decideWith({ FAKE_GHCR: `${image}:${version}` }).outputs.publish, 'false', 'a tag already on GHCR is not pushed again');
  t.equal(decideWith({ BEFORE: git('rev-parse', 'HEAD') }).outputs.publish, 'false', 'same version as before: nothing to publish');
  t.equal(decideWith({ BEFORE: '0000000000000000000000000000000000000000' }).outputs.publish, 'true', 'first push of the branch');
  const fork = decideWith({ OWNER: 'Someone-Else' });
  t.equal(fork.code, 1, 'a fork must point image at its own namespace first');
  t.match(fork.out, /ghcr\.io\/someone-else\//);
});

t.test('publish: npm after the image and the release, only with an NPM_TOKEN secret, with provenance', async (t) => {
  const wf = workflow('publish.yaml');
  const npm = wf.jobs.npm as Job;
  t.ok(npm, 'an npm job');
  t.same(npm.needs, ['check', 'publish'], 'after the tested, pushed image and the release');
  t.notOk(npm.if && /secrets\./.test(npm.if), "no secrets in the job's if: (GitHub does not allow it)");
  t.same(npm.permissions, { contents: 'read', 'id-token': 'write' }, 'id-token for provenance, nothing else written');
  t.equal(npm.env?.NPM_TOKEN, '${{ secrets.NPM_TOKEN }}', 'the secret as a job env var');
  t.equal(npm.env?.VERSION, '${{ needs.check.outputs.version }}');

  const [notice, ...rest] = npm.steps;
  t.match(notice?.if, /env\.NPM_TOKEN == ''/, 'without the secret: a notice');
  t.match(notice?.run, /::notice::/);
  for (const step of rest) {
    t.match(step.if, /env\.NPM_TOKEN != ''|steps\.npm\.outputs\.publish == 'true'/, `${step.name ?? step.uses}: skipped without the secret`);
  }
  const setup = rest.find((s) => s.uses?.startsWith('actions/setup-node@'));
  t.equal(setup?.with?.['registry-url'], 'https://registry.npmjs.org', 'setup-node writes .npmrc for the registry');
  t.match(rest.find((s) => s.id === 'npm')?.if, /env\.NPM_TOKEN != ''/);
  const build = rest.findIndex((s) => /npm run build/.test(s.run ?? ''));
  const publish = rest.findIndex((s) => /npm publish --provenance --access public/.test(s.run ?? ''));
  t.ok(build >= 0 && publish > build, 'dist is built before npm publish --provenance --access public');
  t.match(rest[build]?.run, /npm ci\b/);
  for (const i of [build, publish]) {
    t.equal(rest[i]?.['working-directory'], 'mcp_ha');
    t.match(rest[i]?.if, /steps\.npm\.outputs\.publish == 'true'/, 'only when the version is not on npm yet');
  }
  t.equal(rest[publish]?.env?.NODE_AUTH_TOKEN, '${{ secrets.NPM_TOKEN }}');
});

t.test("publish's npm steps, run in a scratch folder with a fake npm", async (t) => {
  const steps = workflow('publish.yaml').jobs.npm?.steps ?? [];
  const decide = steps.find((s) => s.id === 'npm')?.run as string;
  const publishStep = steps.find((s) => /npm publish/.test(s.run ?? ''))?.run as string;
  t.ok(decide && publishStep);
  const dir = mkdtempSync(join(tmpdir(), 'npm-publish-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, 'mcp_ha'));
  mkdirSync(join(dir, 'bin'));
  cpSync(join(repo, 'mcp_ha/package.json'), join(dir, 'mcp_ha/package.json'));
  const pkg = JSON.parse(readFileSync(join(repo, 'mcp_ha/package.json'), 'utf8')) as { name: string; version: string };
  // The fake npm logs its arguments; `view` answers as $FAKE_VIEW says, `pack` prints $FAKE_PACK.
  writeFileSync(
    join(dir, 'bin/npm'),
    [
      '#!/usr/bin/env bash',
      'echo "$*" >> "$NPM_LOG"',
      'case "$1" in',
      '  view)',
      '    case "$FAKE_VIEW" in',
      '      e404) echo "npm error code E404" >&2; exit 1 ;;',
      '      offline) echo "npm error code ENOTFOUND" >&2; exit 1 ;;',
      '      empty) ;;',
      '      *) echo "$FAKE_VIEW" ;;',
      '    esac ;;',
      '  pack) printf "%s" "$FAKE_PACK" ;;',
      'esac',
      '',
    ].join('\n'),
  );
  chmodSync(join(dir, 'bin/npm'), 0o755);

  const step = (body: string, env: Record<string, string>) => {
    const out = join(dir, `output-${Math.random()}`);
    const log = join(dir, `npm-${Math.random()}.log`);
    writeFileSync(out, '');
    writeFileSync(log, '');
    const r = run('bash', ['-eo', 'pipefail', '-c', body], {
      cwd: join(dir, 'mcp_ha'),
      env: {
        PATH: `${join(dir, 'bin')}:${process.env.PATH}`,
        GITHUB_OUTPUT: out,
        RUNNER_TEMP: dir,
        NPM_LOG: log,
        VERSION: pkg.version,
        GITHUB_SERVER_URL: 'https://github.com',
        GITHUB_REPOSITORY: 'someone/mcp-ha',
        ...env,
      },
    });
    const outputs = Object.fromEntries(readFileSync(out, 'utf8').trim().split('\n').filter(Boolean).map((l) => l.split('=', 2) as [string, string]));
    return { ...r, outputs, npm: readFileSync(log, 'utf8').trim().split('\n').filter(Boolean) };
  };

  const fresh = step(decide, { FAKE_VIEW: 'e404' });
  t.equal(fresh.code, 0, fresh.err);
  t.same(fresh.outputs, { publish: 'true', name: pkg.name }, 'not on npm (E404): publish');
  t.same(fresh.npm, [`view ${pkg.name}@${pkg.version} version`], 'asks for exactly this version');
  t.equal(step(decide, { FAKE_VIEW: 'empty' }).outputs.publish, 'true', 'an empty answer (older npm, version missing): publish');
  const there = step(decide, { FAKE_VIEW: pkg.version });
  t.equal(there.outputs.publish, 'false', 'the version is on npm: skip');
  t.match(there.out, /already on npm/);
  const offline = step(decide, { FAKE_VIEW: 'offline' });
  t.equal(offline.code, 1, 'a registry error is not "not published"');
  t.match(offline.err, /ENOTFOUND/);
  const mismatch = step(decide, { FAKE_VIEW: 'e404', VERSION: '9.9.9' });
  t.equal(mismatch.code, 1, "package.json's version must be the one released");
  t.match(mismatch.out, /::error file=mcp_ha\/package.json::/);

  const pack = (files: string[]) => JSON.stringify([{ name: pkg.name, version: pkg.version, unpackedSize: 1, files: files.map((path) => ({ path })) }]);
  const published = step(publishStep, { FAKE_PACK: pack(['package.json', 'dist/main.js']) });
  t.equal(published.code, 0, published.err);
  t.same(
    published.npm,
    ['pkg set repository.type=git repository.url=git+https://github.com/someone/mcp-ha.git repository.directory=mcp_ha', 'pack --dry-run --json', 'publish --provenance --access public'],
    "repository.url is the building repository's (provenance), then pack check, then publish",
  );
  const empty = step(publishStep, { FAKE_PACK: pack(['package.json']) });
  t.equal(empty.code, 1, 'no dist/main.js in the package: nothing is published');
  t.notOk(empty.npm.some((l) => l.startsWith('publish')));
});
