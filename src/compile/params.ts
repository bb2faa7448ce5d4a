/**
 * Puts a fragment's parameter values into its parsed steps, on typed values (never on text):
 * a string that is exactly `${param}` becomes the value itself; inside a longer string the
 * value is interpolated. References to anything else are left for the template compiler.
 */
export function substituteParams(value: unknown, params: Record<string, unknown>): unknown {
  if (typeof value === 'string') {
    const whole = /^\$\{\s*([A-Za-z_][A-Za-z0-9_-]*)\s*\}$/.exec(value);
    if (whole && Object.hasOwn(params, whole[1]!)) return params[whole[1]!];
    return value.replace(/\$\{\s*([A-Za-z_][A-Za-z0-9_-]*)\s*\}/g, (m, name: string) => {
      if (!Object.hasOwn(params, name)) return m;
      const v = params[name];
      return typeof v === 'string' ? v : JSON.stringify(v);
    });
  }
  if (Array.isArray(value)) return value.map((v) => substituteParams(v, params));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substituteParams(v, params)]));
  }
  return value;
}
