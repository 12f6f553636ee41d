// Units of length and time as OME-XML writes them (the UnitsLength and UnitsTime symbols of the OME 2016-06
// schema) and as OME-NGFF names them (0.5 §"axes metadata": UDUNITS-2 names such as "micrometer"), with their size
// in metres or seconds, so that a pixel size given in one unit can be compared with one given in another.

/** Metres per unit, by OME-NGFF (UDUNITS-2) name. */
const lengthMetres: Record<string, number> = {
  angstrom: 1e-10,
  attometer: 1e-18,
  centimeter: 1e-2,
  decimeter: 1e-1,
  exameter: 1e18,
  femtometer: 1e-15,
  foot: 0.3048,
  gigameter: 1e9,
  hectometer: 1e2,
  inch: 0.0254,
  kilometer: 1e3,
  megameter: 1e6,
  meter: 1,
  micrometer: 1e-6,
  mile: 1609.344,
  millimeter: 1e-3,
  nanometer: 1e-9,
  petameter: 1e15,
  picometer: 1e-12,
  terameter: 1e12,
  yard: 0.9144,
  yoctometer: 1e-24,
  yottameter: 1e24,
  zeptometer: 1e-21,
  zettameter: 1e21,
};

/** Seconds per unit, by OME-NGFF (UDUNITS-2) name. */
const timeSeconds: Record<string, number> = {
  attosecond: 1e-18,
  centisecond: 1e-2,
  day: 86400,
  decisecond: 1e-1,
  femtosecond: 1e-15,
  hour: 3600,
  microsecond: 1e-6,
  millisecond: 1e-3,
  minute: 60,
  nanosecond: 1e-9,
  picosecond: 1e-12,
  second: 1,
  kilosecond: 1e3,
};

/** OME-XML unit symbols (and the entry schema's, which are the same for Å, nm, µm, mm) to OME-NGFF names. */
const symbolNames: Record<string, string> = {
  Å: 'angstrom',
  '\u212b': 'angstrom',
  am: 'attometer',
  cm: 'centimeter',
  dm: 'decimeter',
  fm: 'femtometer',
  ft: 'foot',
  in: 'inch',
  km: 'kilometer',
  m: 'meter',
  '\u00b5m': 'micrometer',
  '\u03bcm': 'micrometer',
  um: 'micrometer',
  mi: 'mile',
  mm: 'millimeter',
  nm: 'nanometer',
  pm: 'picometer',
  yd: 'yard',
  as: 'attosecond',
  cs: 'centisecond',
  d: 'day',
  ds: 'decisecond',
  fs: 'femtosecond',
  h: 'hour',
  '\u00b5s': 'microsecond',
  '\u03bcs': 'microsecond',
  us: 'microsecond',
  ms: 'millisecond',
  min: 'minute',
  ns: 'nanosecond',
  ps: 'picosecond',
  s: 'second',
  ks: 'kilosecond',
};

/** The OME-NGFF name of a unit given as an OME symbol or an OME-NGFF name; undefined if unknown. */
export function unitName(unit: string): string | undefined {
  const trimmed = unit.trim();
  if (trimmed in lengthMetres || trimmed in timeSeconds) return trimmed;
  const lower = trimmed.toLowerCase();
  if (lower in lengthMetres || lower in timeSeconds) return lower;
  if (lower === 'micron' || lower === 'microns') return 'micrometer';
  return Object.hasOwn(symbolNames, trimmed) ? symbolNames[trimmed] : undefined;
}

/** `value` in `unit` as metres, or undefined when `unit` is not a known length. */
export function toMetres(value: number, unit: string): number | undefined {
  const name = unitName(unit);
  return name !== undefined && Object.hasOwn(lengthMetres, name) ? value * lengthMetres[name] : undefined;
}

/** `metres` written in `unit` (a known length), or undefined. */
export function fromMetres(metres: number, unit: string): number | undefined {
  const name = unitName(unit);
  return name !== undefined && Object.hasOwn(lengthMetres, name) ? metres / lengthMetres[name] : undefined;
}

/** Is `unit` a unit of time? */
export function isTimeUnit(unit: string): boolean {
  const name = unitName(unit);
  return name !== undefined && Object.hasOwn(timeSeconds, name);
}
