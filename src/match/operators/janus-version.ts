import { describeRange, isVersion, parseVersionRange, satisfies, type VersionRange } from '../../core/version-range.js';
import type { Matcher, OperatorDefinition } from '../contract.js';

/**
 * `$janus: { ">=1.3.0": bob, "<1.3.0": $absent }`: the pattern of the first range the server's
 * version is in. What a field holds when it changed between Janus versions, without splitting
 * the step. A version no range covers, or an unknown version, is a mismatch saying so.
 */
export const janusVersionOperator: OperatorDefinition = {
  name: '$janus',
  summary: '$janus: { "<range>": pattern, ... }; the pattern of the first version range the server is in (`{ $janus: { ">=1.3.0": bob, "<1.3.0": $absent } }`)',
  compile(arg, path, compiler, exact) {
    if (arg === null || typeof arg !== 'object' || Array.isArray(arg) || Object.keys(arg).length === 0) {
      compiler.error(path, '$janus expects a mapping from Janus version ranges to patterns, like { ">=1.3.0": bob, "<1.3.0": $absent }');
      return undefined;
    }
    const cases: Array<{ range: VersionRange; matcher: Matcher }> = [];
    for (const [key, pattern] of Object.entries(arg)) {
      const parsed = parseVersionRange(key);
      if ('problem' in parsed) {
        compiler.error([...path, key], `$janus: ${parsed.problem}`);
        continue;
      }
      cases.push({ range: parsed.range, matcher: compiler.compile(pattern, [...path, key], exact) });
    }
    const ranges = cases.map((c) => c.range.text).join(', ');
    return (actual, at, rt, out) => {
      const version = rt.serverVersion;
      const known = version !== undefined && isVersion(version);
      const chosen = known ? cases.find((c) => satisfies(c.range, version)) : undefined;
      if (!chosen) {
        const unknown = version === undefined ? 'the server\'s version is unknown' : `the server's version_string ${JSON.stringify(version)} is not a version`;
        out.push({ at, expected: known ? `a value for Janus ${ranges}; none covers ${version}` : `a value for a known Janus version (${ranges}); ${unknown}`, actual });
        return;
      }
      const before = out.length;
      chosen.matcher(actual, at, rt, out);
      for (let i = before; i < out.length; i++) out[i] = { ...out[i]!, expected: `${out[i]!.expected} (expects Janus ${describeRange(chosen.range)} behaviour)` };
    };
  },
};
