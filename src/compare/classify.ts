/** What kind of difference an entry is. */
export type DiffClass =
  | 'field-added'
  | 'field-removed'
  | 'type-changed'
  | 'value-changed'
  | 'element-added'
  | 'element-removed'
  | 'error-code-changed'
  | 'message-missing'
  | 'extra-message'
  | 'multiplicity-changed'
  | 'order-changed'
  | 'renamed'
  | 'timing-changed'
  | 'wire-changed'
  | 'status-changed'
  | 'plugin-added'
  | 'plugin-removed'
  | 'transport-added'
  | 'transport-removed'
  | 'handler-added'
  | 'handler-removed'
  | 'setting-added'
  | 'setting-removed'
  | 'setting-changed';

/** breaking: a client written for the old server can fail; behaviour: it may act differently; additive: something new it can ignore. */
export type Rating = 'breaking' | 'behaviour' | 'additive';

export const RATINGS: readonly Rating[] = ['breaking', 'behaviour', 'additive'];

/** Version of these rules: a report says which rules rated it (a new rule can change a verdict). */
export const RULES_VERSION = 4;

const RATING_OF: Record<DiffClass, Rating> = {
  'field-added': 'additive',
  'field-removed': 'breaking',
  'type-changed': 'breaking',
  'value-changed': 'behaviour',
  'element-added': 'behaviour',
  'element-removed': 'behaviour',
  // An error where there was success is breaking; see rate().
  'error-code-changed': 'behaviour',
  'message-missing': 'breaking',
  'extra-message': 'behaviour',
  'multiplicity-changed': 'behaviour',
  'order-changed': 'behaviour',
  // A client reading the old key finds nothing.
  renamed: 'breaking',
  'timing-changed': 'behaviour',
  // A client that reads JSON reads either; one that splits lines, or expects one message per frame, does not.
  'wire-changed': 'behaviour',
  'status-changed': 'behaviour',
  'plugin-added': 'additive',
  'plugin-removed': 'breaking',
  'transport-added': 'additive',
  'transport-removed': 'breaking',
  'handler-added': 'additive',
  'handler-removed': 'breaking',
  'setting-added': 'additive',
  'setting-removed': 'breaking',
  'setting-changed': 'behaviour',
};

/** The rating of a difference; an error code that appears where there was none (success) is breaking. */
export function rate(kind: DiffClass, detail: { errorWhereSuccess?: boolean } = {}): Rating {
  if (kind === 'error-code-changed' && detail.errorWhereSuccess) return 'breaking';
  return RATING_OF[kind];
}

/** `--fail-on`: which ratings make the exit code 1. */
export function failingRatings(failOn: 'breaking' | 'behaviour' | 'any'): Set<Rating> {
  if (failOn === 'breaking') return new Set(['breaking']);
  if (failOn === 'behaviour') return new Set(['breaking', 'behaviour']);
  return new Set(RATINGS);
}
