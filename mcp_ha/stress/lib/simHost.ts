// Child process for the stress suite: the Home Assistant simulator on a fixed port, so that it
// can be killed with SIGKILL and started again on the same port. `--set entity_id=state` changes
// states of the demo home before it listens (a change "made while it was down").
// usage: tsx stress/lib/simHost.ts --port P --token T [--home demo|N] [--set id=state]...
import { parseArgs } from 'node:util';
import { resolveHome } from '../../sim/homes/index.js';
import { startSimulator } from '../../sim/server.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    token: { type: 'string', multiple: true },
    home: { type: 'string', default: 'demo' },
    set: { type: 'string', multiple: true },
  },
});

const home = await resolveHome(values.home === 'demo' ? 'demo' : Number(values.home), 1);
for (const pair of values.set ?? []) {
  const [id, state] = pair.split('=');
  const s = home.states.find((x) => x.entity_id === id);
  if (!s || state === undefined) throw new Error(`--set ${pair}: no such entity`);
  s.state = state;
  const now = new Date().toISOString();
  s.last_changed = s.last_updated = s.last_reported = now;
}
const sim = await startSimulator({ port: Number(values.port), tokens: values.token, home });
process.stdout.write(`ready ${sim.url}\n`);
// The parent holds our stdin: when it goes (even killed), so do we.
process.stdin.on('end', () => process.exit(0));
process.stdin.on('error', () => process.exit(0));
process.stdin.resume();
