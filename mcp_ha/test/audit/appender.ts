// Child process for the kill -9 test: appends numbered records until it is killed.
import { createAuditLog } from '../../src/audit/log.js';

const [dir, maxBytes] = process.argv.slice(2);
const log = createAuditLog({ dir: dir as string, maxBytes: Number(maxBytes) });
const data = { note: 'x'.repeat(300) };
for (let seq = 0; ; seq++) {
  log.append({
    v: 1, id: `seq-${seq}`, ts: new Date().toISOString(), caller: 'api_key:test', session: null, tool: 'ha_call_service',
    service: 'light.turn_on', target: { entity_id: ['light.x'] }, entities: ['light.x'], data, outcome: 'success', duration_ms: seq,
  });
  if (seq === 50) process.stdout.write('ready\n');
}
