// Home Assistant's slugify, as it makes ids from names (helpers, areas, floors, labels):
// "Capture Ground Floor" -> "capture_ground_floor"; empty -> "unknown".
export function slugify(name: string): string {
  const s = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return s || 'unknown';
}
