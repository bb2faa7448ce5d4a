import { caseForVersion, coveredBy, describeRange, isVersion, parseVersionRange, type VersionRange } from '../../core/version-range.js';
import { described, NoVersionCase, type DescribedMatcher, type MatchRuntime, type OperatorDefinition } from '../contract.js';

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
    const cases: Array<{ range: VersionRange; matcher: DescribedMatcher }> = [];
    for (const [key, pattern] of Object.entries(arg)) {
      const parsed = parseVersionRange(key);
      if ('problem' in parsed) {
        compiler.error([...path, key], `$janus: ${parsed.problem}`);
        continue;
      }
      // The first range a version is in wins: one whose versions all come before would never be checked.
      const earlier = cases.map((c) => c.range);
      if (earlier.length > 0 && coveredBy(parsed.range, earlier)) {
        compiler.error([...path, key], `$janus: "${parsed.range.text}" is never chosen: every version in it is in a range before it (${earlier.map((r) => `"${r.text}"`).join(', ')}), and the first range a version is in wins; put the narrower range first`);
      }
      cases.push({ range: parsed.range, matcher: compiler.compile(pattern, [...path, key], exact) });
    }
    const ranges = cases.map((c) => c.range.text).join(', ');
    const choose = (rt: MatchRuntime) => caseForVersion(cases, rt.serverVersion);
    /** What is expected when no case is chosen: why not. */
    const noCase = (rt: MatchRuntime): string => {
      const version = rt.serverVersion;
      if (version !== undefined && isVersion(version)) return `a value for Janus ${ranges}; none covers ${version}`;
      const unknown = version === undefined ? 'the server\'s version is unknown' : `the server's version_string ${JSON.stringify(version)} is not a version`;
      return `a value for a known Janus version (${ranges}); ${unknown}`;
    };
    const behaviour = (range: VersionRange) => ` (expects Janus ${describeRange(range)} behaviour)`;
    return described((actual, at, rt, out) => {
      const chosen = choose(rt);
      if (!chosen) {
        out.push({ at, expected: noCase(rt), actual });
        return;
      }
      const before = out.length;
      chosen.matcher(actual, at, rt, out);
      for (let i = before; i < out.length; i++) out[i] = { ...out[i]!, expected: `${out[i]!.expected}${behaviour(chosen.range)}` };
    }, (rt) => {
      const chosen = choose(rt);
      if (chosen) return `${chosen.matcher.describe(rt)}${behaviour(chosen.range)}`;
      if (rt.requireVersionCases) throw new NoVersionCase(`$janus expects ${noCase(rt)}`);
      return noCase(rt);
    });
  },
};
