import { JanusStartError } from './errors.js';

/** Janus reads every setting as a string, integer or boolean; nothing else is needed here. */
export type JcfgValue = string | number | boolean;
export type JcfgSection = Record<string, JcfgValue>;

/** Renders libconfig text (the .jcfg format) for flat sections: `name: { key = value }`. */
export function renderJcfg(sections: Record<string, JcfgSection>): string {
  const out: string[] = [];
  for (const [name, settings] of Object.entries(sections)) {
    checkName(name);
    out.push(`${name}: {`);
    for (const [key, value] of Object.entries(settings)) {
      checkName(key);
      out.push(`\t${key} = ${renderValue(key, value)}`);
    }
    out.push('}', '');
  }
  return out.join('\n');
}

function renderValue(key: string, value: JcfgValue): string {
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new JanusStartError(`config '${key}' must be a finite number, got ${value}`);
      return String(value);
    case 'string':
      // libconfig strings take C-style escapes; a raw newline would end the setting.
      return `"${value.replace(/[\\"]/g, (c) => `\\${c}`).replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t')}"`;
    default:
      throw new JanusStartError(`config '${key}' must be a string, number or boolean, got ${typeof value}`);
  }
}

/** libconfig setting names: a letter or '*', then letters, digits, '-', '_' or '*'. */
function checkName(name: string): void {
  if (!/^[A-Za-z*][-A-Za-z0-9_*]*$/.test(name)) throw new JanusStartError(`'${name}' is not a valid Janus config key`);
}
