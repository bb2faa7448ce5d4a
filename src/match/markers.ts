/** `$marker` strings: type checks that read well in YAML (`id: $integer`, `opaque_id: $absent`). */
export const MARKERS: Record<string, (value: unknown) => boolean> = {
  $any: () => true,
  $present: (v) => v !== undefined,
  $absent: (v) => v === undefined,
  $integer: (v) => typeof v === 'number' && Number.isInteger(v),
  $number: (v) => typeof v === 'number',
  $string: (v) => typeof v === 'string',
  $boolean: (v) => typeof v === 'boolean',
  $object: (v) => typeof v === 'object' && v !== null && !Array.isArray(v),
  $array: (v) => Array.isArray(v),
  $null: (v) => v === null,
};

export const TYPE_NAMES = Object.keys(MARKERS).map((m) => m.slice(1));
