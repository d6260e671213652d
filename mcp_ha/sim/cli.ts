// Runs the simulator standalone: `npx tsx sim/cli.ts --port 8123 --token T --home demo|N`.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { startSimulator, type SimOptions } from './server.js';

const USAGE = `usage: sim [--port P] [--host H] [--token T]... [--home demo|N] [--seed S] [--user NAME] [--password PW] [--tls-key FILE --tls-cert FILE]`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '8123' },
      host: { type: 'string', default: '127.0.0.1' },
      token: { type: 'string', multiple: true },
      home: { type: 'string', default: 'demo' },
      seed: { type: 'string' },
      user: { type: 'string' },
      password: { type: 'string' },
      'tls-key': { type: 'string' },
      'tls-cert': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`bad --port ${values.port}`);
  let home: SimOptions['home'] = 'demo';
  if (values.home !== 'demo') {
    const n = Number(values.home);
    if (!Number.isInteger(n) || n <= 0) throw new Error(`--home must be "demo" or an entity count, got ${values.home}`);
    home = n;
  }
  if (values.user !== undefined && values.user.trim() === '') throw new Error('--user must not be empty');
  if (values.password === '') throw new Error('--password must not be empty');
  const tls =
    values['tls-key'] && values['tls-cert']
      ? { key: readFileSync(values['tls-key']), cert: readFileSync(values['tls-cert']) }
      : undefined;
  const t0 = performance.now();
  const sim = await startSimulator({
    port,
    host: values.host,
    tokens: values.token,
    home,
    seed: values.seed === undefined ? undefined : Number(values.seed),
    tls,
    user: values.user,
    password: values.password,
  });
  console.log(`Home Assistant simulator (${values.home}) ready in ${Math.round(performance.now() - t0)} ms`);
  console.log(`URL:       ${sim.url}`);
  console.log(`WebSocket: ${sim.wsUrl}`);
  console.log(`Token:     ${sim.token}`);
  console.log(`Login:     ${sim.auth.username} / ${sim.auth.password}`);
  const stop = (): void => {
    void sim.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  console.error(USAGE);
  process.exit(2);
});
