#!/usr/bin/env node
// Writes each `run:` step of the given GitHub workflows to OUT_DIR/<workflow>-<job>-<n>.sh so
// that shellcheck can read them, as actionlint does with its shellcheck integration.
// ${{ expr }} becomes a shell variable, the way the runner pastes a value in.
// Usage: scripts/workflow-run-steps.mjs OUT_DIR WORKFLOW.yaml...
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, join } from 'node:path';

const require = createRequire(new URL('../mcp_ha/package.json', import.meta.url));
const { parse } = require('yaml');

const [out, ...files] = process.argv.slice(2);
for (const file of files) {
  const wf = parse(readFileSync(file, 'utf8'));
  for (const [job, def] of Object.entries(wf.jobs ?? {})) {
    (def.steps ?? []).forEach((step, i) => {
      if (typeof step.run !== 'string') return;
      const shell = step.shell ?? def.defaults?.run?.shell ?? wf.defaults?.run?.shell ?? 'bash';
      if (!/^(bash|sh)\b/.test(shell)) return;
      const body = step.run.replace(/\$\{\{[^}]*\}\}/g, '${GITHUB_EXPR}');
      const name = `${basename(file).replace(/\.ya?ml$/, '')}-${job}-${i + 1}.sh`;
      writeFileSync(join(out, name), `#!/usr/bin/env bash\n# ${file}: jobs.${job}.steps[${i}] ${step.name ?? ''}\nset -eo pipefail\nexport GITHUB_EXPR=x\n${body}`);
    });
  }
}
