// What an entity is, in the words people use for it: its domain and device class ("kinds"), each
// with English words and the common German, French, Spanish, Italian and Dutch ones (the names
// Home Assistant's own translations give these domains and device classes). Search lifts an
// entity whose kind a query word names: "lamp" or "lite" finds lights, "blind" covers,
// "thermostat" climate entities, "leak" moisture sensors.

/** Words are compared folded: lower case, without accents, ß as ss. */
export function fold(text: string): string {
  return text.toLowerCase().normalize('NFD').replace(/\p{M}+/gu, '').replace(/ß/g, 'ss');
}

/** "blinds" -> "blind", "lamps" -> "lamp": the English plural a query word may carry. */
export function stem(word: string): string {
  if (word.length > 4 && word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (word.length > 3 && word.endsWith('s') && !word.endsWith('ss') && !/\d/.test(word)) return word.slice(0, -1);
  return word;
}

/** Kind -> words for it (folded, singular). A kind is a domain or a device class. */
const KINDS: Record<string, string> = {
  light: 'light lamp lite bulb lighting luminaire licht lampe leuchte lumiere luz lampara luce lampada',
  switch: 'switch toggle schalter interrupteur interruptor interruttore schakelaar',
  outlet: 'outlet plug socket steckdose stecker zwischenstecker prise enchufe presa stopcontact',
  cover: 'cover blind shade shutter curtain awning rollo rollladen rolladen jalousie volet rideau persiana cortina tapparella tenda rolluik gordijn zonwering',
  climate: 'climate thermostat heating heater hvac aircon airco klima heizung heizkorper chauffage climatisation radiateur calefaccion termostato clima riscaldamento verwarming',
  lock: 'lock schloss turschloss serrure cerradura serratura slot',
  media_player: 'media player music radio musik musique musica muziek',
  tv: 'tv television telly fernseher tele televiseur televisor televisione',
  speaker: 'speaker lautsprecher enceinte altavoz altoparlante luidspreker',
  fan: 'fan ventilator lufter ventilateur ventilador ventilatore',
  vacuum: 'vacuum hoover robot staubsauger saugroboter aspirateur aspiradora aspirapolvere stofzuiger',
  lawn_mower: 'mower lawnmower rasenmaher tondeuse cortacesped tosaerba grasmaaier',
  camera: 'camera cam kamera doorbell camara telecamera',
  alarm_control_panel: 'alarm security alarmanlage alarme alarma allarme',
  siren: 'siren sirene sirena',
  weather: 'weather forecast wetter meteo tiempo weer',
  person: 'person people personne persona persoon',
  device_tracker: 'tracker',
  water_heater: 'boiler geyser warmwasser chauffe calentador scaldabagno',
  humidifier: 'humidifier dehumidifier luftbefeuchter luftentfeuchter humidificateur deshumidificateur humidificador umidificatore',
  valve: 'valve sprinkler irrigation ventil vanne valvula valvola klep',
  scene: 'scene szene escena scena',
  script: 'script skript routine',
  automation: 'automation automatisierung automatisation automatizacion automazione automatisering',
  temperature: 'temperature temp thermometer temperatur temperatura temperatuur',
  humidity: 'humidity humid hygrometer feuchtigkeit luftfeuchtigkeit feuchte humidite humedad umidita vochtigheid luchtvochtigheid',
  moisture: 'moisture leak water wet flood wasser leck nass fuite eau fuga agua perdita lek',
  motion: 'motion movement pir bewegung bewegungsmelder mouvement movimiento movimento beweging',
  occupancy: 'occupancy presence occupied anwesenheit presencia presenza aanwezigheid',
  door: 'door tur haustur porte puerta porta deur',
  window: 'window fenster fenetre ventana finestra raam',
  garage_door: 'garage',
  smoke: 'smoke rauch rauchmelder fumee humo fumo rook',
  battery: 'battery batterie bateria batteria batterij akku',
  power: 'power watt leistung puissance potencia potenza vermogen',
  energy: 'energy kwh consumption energie energia verbrauch',
  illuminance: 'illuminance lux helligkeit luminosite iluminancia illuminamento',
  carbon_dioxide: 'co2',
  gas: 'gas',
  firmware: 'firmware',
};

/** Kinds a device class adds beyond itself (a cover's "garage" class is a garage door). */
const CLASS_KINDS: Record<string, string[]> = {
  garage: ['garage_door'],
  presence: ['occupancy'],
  opening: ['door', 'window'],
  blind: ['cover'],
  curtain: ['cover'],
  shade: ['cover'],
  shutter: ['cover'],
  awning: ['cover'],
};

/** Word -> kinds it names, with how surely (a TV is a media player, less surely than a TV). */
const WORD_KINDS = new Map<string, [string, number][]>();
for (const [kind, list] of Object.entries(KINDS)) {
  for (const w of [...list.split(' '), ...(kind.includes('_') ? [] : [kind])]) {
    const kinds = WORD_KINDS.get(w) ?? [];
    if (!kinds.some(([k]) => k === kind)) kinds.push([kind, 1]);
    WORD_KINDS.set(w, kinds);
  }
}
// Every word for a TV or a speaker names a media player too, less surely; for an outlet, a switch.
const IMPLIED: Record<string, string> = { tv: 'media_player', speaker: 'media_player', outlet: 'switch' };
for (const [kind, implied] of Object.entries(IMPLIED)) {
  for (const w of (KINDS[kind] ?? '').split(' ')) WORD_KINDS.get(w)?.push([implied, 0.7]);
}
const KIND_WORDS = [...WORD_KINDS.keys()];

/**
 * The kinds of an entity: its domain, its device class and what that class implies, and a
 * narrower kind its own words name within its domain (a media player called "TV" is a TV).
 */
export function kindsOf(entityId: string, deviceClass: unknown, ownWords: Iterable<string> = []): string[] {
  const domain = entityId.slice(0, entityId.indexOf('.'));
  const out = [domain];
  const add = (k: string): void => void (out.includes(k) || out.push(k));
  if (typeof deviceClass === 'string' && deviceClass) {
    add(deviceClass);
    for (const k of CLASS_KINDS[deviceClass] ?? []) add(k);
  }
  for (const w of ownWords) for (const [k] of WORD_KINDS.get(w) ?? []) if (IMPLIED[k] === domain) add(k);
  return out;
}

/** Optimal string alignment distance (a transposition counts one), stopping once over `max`. */
export function osa(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev2: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, (prev2[j - 2] ?? 0) + 1);
      cur.push(v);
      rowMin = Math.min(rowMin, v);
    }
    if (rowMin > max) return max + 1;
    prev2 = prev;
    prev = cur;
  }
  return prev[b.length] ?? max + 1;
}

/**
 * The kinds a (folded) query word names, each with a quality 0..1: the word or its singular
 * is a word for the kind (1), or one typo away from one in words of five letters or more (0.8).
 */
export function kindsNamed(term: string): Map<string, number> {
  const out = new Map<string, number>();
  const add = (kinds: [string, number][] | undefined, quality: number): void => {
    for (const [k, sure] of kinds ?? []) out.set(k, Math.max(out.get(k) ?? 0, quality * sure));
  };
  add(WORD_KINDS.get(term), 1);
  add(WORD_KINDS.get(stem(term)), 1);
  if (!out.size && term.length >= 5) {
    for (const w of KIND_WORDS) if (w.length >= 5 && osa(term, w, 1) <= 1) add(WORD_KINDS.get(w), 0.8);
  }
  return out;
}
