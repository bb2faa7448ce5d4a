import { ownValue } from '../core/own.js';

/** A placeholder, or the escape `$${` of a literal `${` (which is left for the template compiler, as written). */
const PLACEHOLDER = /\$\$\{|\$\{([^}]*)\}/g;
const WHOLE = /^\$\{([^}]*)\}$/;
const NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/**
 * Puts a fragment's parameter values into its parsed steps, on typed values (never on text):
 * a string that is exactly `${param}` (or `${param.path}`, a field inside it) becomes the value
 * itself; inside a longer string the value is interpolated. `$${` stays a literal `${`, and
 * references to anything else are left for the template compiler.
 */
export function substituteParams(value: unknown, params: Record<string, unknown>): unknown {
  if (typeof value === 'string') {
    const whole = WHOLE.exec(value);
    const found = whole ? paramValue(whole[1]!, params) : undefined;
    if (found) return found.value;
    return value.replace(PLACEHOLDER, (m, ref: string | undefined) => {
      const v = ref === undefined ? undefined : paramValue(ref, params);
      if (!v) return m;
      return typeof v.value === 'string' ? v.value : JSON.stringify(v.value);
    });
  }
  if (Array.isArray(value)) return value.map((v) => substituteParams(v, params));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substituteParams(v, params)]));
  }
  return value;
}

/** The value a reference (`name` or `name.path`: `obj.list.0.room`, `obj.list[0].room`) reads from the parameters; undefined when it names none or nothing is there. */
function paramValue(ref: string, params: Record<string, unknown>): { value: unknown } | undefined {
  const [name, ...path] = ref.trim().replace(/\[(\d+)\]/g, '.$1').split('.');
  if (!NAME.test(name!) || !Object.hasOwn(params, name!)) return undefined;
  let value = params[name!];
  for (const part of path) {
    value = Array.isArray(value) && /^\d+$/.test(part) ? value[Number(part)] : ownValue(value, part);
    if (value === undefined) return undefined;
  }
  return { value };
}
