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

interface Step { uses?: string; run?: string; id?: string; with?: Record<string, unknown>; env?: Record<string, string> }
interface Job { if?: string; steps: Step[]; permissions?: Record<string, string>; needs?: string; outputs?: Record<string, string> }
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
