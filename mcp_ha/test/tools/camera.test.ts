// ha_camera through MCP: each demo camera's picture as image content (decoded here: JPEG, longest
// edge <= max_edge), the short JSON beside it, and the error paths (unknown camera with the
// closest cameras, not a camera, a camera that is off (503) or unavailable); then the cameras of
// a 2,000-entity home, 1080p and 1440p. Timings per snapshot as t.comment.
import jpeg from 'jpeg-js';
import t, { type Test } from 'tap';
import { startStack, type Stack } from '../helpers/stack.js';
import { eventually } from '../tools-home/helpers.js';

type Obj = Record<string, unknown>;

const IMAGE = /^(camera\.[a-z0-9_]+) at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d: (\d+)x(\d+) JPEG (\d+) KB, from (\d+x\d+ (?:jpeg|png) \d+ KB)$/;

async function snapshot(t: Test, stack: Stack, args: Obj): Promise<{ json: Obj; width: number; height: number; bytes: number; ms: number; source: string }> {
  const started = performance.now();
  const { result, json } = await stack.call('ha_camera', args);
  const ms = performance.now() - started;
  if (result.isError) t.fail(JSON.stringify(json));
  t.same(result.structuredContent, json, 'structuredContent is the JSON text');
  const images = result.content.filter((c) => c.type === 'image');
  t.equal(images.length, 1, 'one image');
  const image = images[0] as { data: string; mimeType: string };
  t.equal(image.mimeType, 'image/jpeg');
  const bytes = Buffer.from(image.data, 'base64');
  t.same([bytes[0], bytes[1]], [0xff, 0xd8], 'JPEG bytes');
  const decoded = jpeg.decode(bytes, { useTArray: true });
  const m = IMAGE.exec(String(json.image));
  t.ok(m, `image: ${String(json.image)}`);
  t.equal(m?.[1], args.entity_id, 'the JSON names the camera');
  t.equal(decoded.width, Number(m?.[2]), 'and the width');
  t.equal(decoded.height, Number(m?.[3]), 'and the height');
  t.equal(Math.max(1, Math.round(bytes.length / 1024)), Number(m?.[4]), 'and the size');
  t.notOk('images' in json, 'the image is not in the JSON');
  t.comment(`${String(args.entity_id)}: ${String(json.image)}, ${ms.toFixed(0)} ms`);
  return { json, width: decoded.width, height: decoded.height, bytes: bytes.length, ms, source: m?.[5] ?? '' };
}

/** A camera service straight at the simulator (the add-on's policy is not what is tested here). */
async function cameraService(stack: Stack, service: string, entityId: string): Promise<void> {
  const res = await fetch(`${stack.sim.url}/api/services/camera/${service}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${stack.sim.token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ entity_id: entityId }),
  });
  if (res.status !== 200) throw new Error(`camera.${service}: ${res.status}`);
}

async function failure(stack: Stack, args: Obj): Promise<Obj> {
  const { result, json } = await stack.call('ha_camera', args);
  if (!result.isError) throw new Error(`expected an error for ${JSON.stringify(args)}`);
  return json;
}

t.test('ha_camera on the demo home', async (t) => {
  const stack = await startStack();
  t.teardown(() => stack.close());

  t.test('every demo camera: a JPEG of at most 768 px a side', async (t) => {
    const demo = await snapshot(t, stack, { entity_id: 'camera.demo_camera' });
    t.same([demo.width, demo.height], [768, 432], '1280x720 scaled to 768 on the long edge');
    t.match(demo.source, /^1280x720 jpeg \d+ KB$/);
    const png = await snapshot(t, stack, { entity_id: 'camera.demo_camera_png' });
    t.same([png.width, png.height], [768, 576], 'the PNG camera answers a JPEG too');
    t.match(png.source, /^1024x768 png \d+ KB$/);
    const small = await snapshot(t, stack, { entity_id: 'camera.demo_camera_without_stream' });
    t.same([small.width, small.height], [640, 480], 'a smaller picture keeps its size');
    for (const s of [demo, png, small]) t.ok(s.bytes <= 96_000, 'under the byte budget');
  });

  t.test('max_edge', async (t) => {
    const thumb = await snapshot(t, stack, { entity_id: 'camera.demo_camera', max_edge: 200 });
    t.same([thumb.width, thumb.height], [200, 113]);
    const bad = await failure(stack, { entity_id: 'camera.demo_camera', max_edge: 5000 });
    t.equal(bad.error, 'invalid_input');
    t.match(bad.message, /max_edge/);
  });

  t.test('an unknown camera names the closest cameras; another entity is not a camera', async (t) => {
    const unknown = await failure(stack, { entity_id: 'camera.demo_camra' });
    t.equal(unknown.error, 'entity_not_found');
    t.match(unknown.suggestion, /camera\.demo_camera\b/);
    t.ok((unknown.details as { closest: string[] }).closest.every((id) => id.startsWith('camera.')), 'only cameras suggested');
    const light = await failure(stack, { entity_id: 'light.bed_light' });
    t.equal(light.error, 'entity_not_found');
    t.match(light.message, /light\.bed_light is not a camera/);
  });

  t.test('a camera that is off (503) and one that is unavailable', async (t) => {
    await cameraService(stack, 'turn_off', 'camera.demo_camera_without_stream');
    t.equal(stack.sim.home.getState('camera.demo_camera_without_stream')?.state, 'idle', 'off is state idle, as recorded');
    const off = await failure(stack, { entity_id: 'camera.demo_camera_without_stream' });
    t.equal(off.error, 'ha_error');
    t.equal(off.status_code, 503);
    t.match(off.message, /off or gives no picture/);
    t.match(off.suggestion, /camera\.turn_on/);
    await cameraService(stack, 'turn_on', 'camera.demo_camera_without_stream');
    t.equal(stack.sim.home.getState('camera.demo_camera_without_stream')?.state, 'streaming', 'on is streaming');
    await snapshot(t, stack, { entity_id: 'camera.demo_camera_without_stream' });

    stack.sim.home.setState('camera.demo_camera', 'unavailable');
    await eventually(async () => stack.deps.ha.cache.getState('camera.demo_camera')?.state === 'unavailable');
    const down = await failure(stack, { entity_id: 'camera.demo_camera' });
    t.match(down, { error: 'ha_error', status_code: 503, details: { state: 'unavailable' } });
    t.match(down.message, /is unavailable/);
    stack.sim.home.setState('camera.demo_camera', 'streaming');
    await eventually(async () => stack.deps.ha.cache.getState('camera.demo_camera')?.state === 'streaming');
  });

  t.test('ms per snapshot (a small loop)', async (t) => {
    const rounds = 5;
    let total = 0;
    for (let i = 0; i < rounds; i++) total += (await snapshot(t, stack, { entity_id: 'camera.demo_camera' })).ms;
    t.comment(`camera.demo_camera (1280x720 JPEG -> 768x432): ${(total / rounds).toFixed(0)} ms per snapshot over ${rounds}`);
  });
});

t.test('ha_camera on a 2,000-entity home', async (t) => {
  const stack = await startStack({ home: 2000 });
  t.teardown(() => stack.close());
  stack.sim.home.addHousehold();
  await eventually(async () => stack.deps.ha.cache.getState('todo.groceries') !== undefined);

  const front = await snapshot(t, stack, { entity_id: 'camera.front_door' });
  t.same([front.width, front.height], [768, 432], '1920x1080 scaled down');
  const drive = await snapshot(t, stack, { entity_id: 'camera.driveway', max_edge: 1024 });
  t.same([drive.width, drive.height], [1024, 576], '2560x1440 to 1024');
  t.ok(drive.bytes <= 96_000);
  const garden = await failure(stack, { entity_id: 'camera.garden' });
  t.match(garden, { error: 'ha_error', status_code: 503 });
  const typo = await failure(stack, { entity_id: 'camera.front' });
  t.match(typo.suggestion, /camera\.front_door/);
  let total = 0;
  for (let i = 0; i < 3; i++) total += (await snapshot(t, stack, { entity_id: 'camera.front_door' })).ms;
  t.comment(`camera.front_door (1920x1080 JPEG -> 768x432): ${(total / 3).toFixed(0)} ms per snapshot over 3`);
});
