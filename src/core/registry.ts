/**
 * The one registration rule every registry follows (step kinds, matcher operators, transports,
 * file reporters):
 * - built-ins are listed where the registry is made and enter by one call, `registerBuiltins()`,
 *   which the registry makes itself on first use (idempotent) — never as a side effect of an import;
 * - a name registered twice is an error naming what was registered twice, whether the first one
 *   was a built-in or not: nothing is replaced silently;
 * - registering late works: `version` changes on each registration, so whatever is derived from
 *   the registry (a schema, a validator) is rebuilt when it is read after a change.
 */
export class Registry<T> {
  readonly #items = new Map<string, T>();
  #builtinsRegistered = false;
  #version = 0;

  /**
   * @param what what one item is, for messages ("step kind", "transport")
   * @param nameOf the name an item is registered and looked up by
   * @param builtins the items that ship with janus-scenarios, read when they are registered
   */
  constructor(
    readonly what: string,
    private readonly nameOf: (item: T) => string,
    private readonly builtins: () => readonly T[] = () => [],
  ) {}

  /** Adds an item under its name; throws when the name is taken (by a built-in too). */
  register(item: T): void {
    this.registerBuiltins();
    this.#add(item);
  }

  /** Registers the built-ins; later calls do nothing. */
  registerBuiltins(): void {
    if (this.#builtinsRegistered) return;
    this.#builtinsRegistered = true;
    for (const item of this.builtins()) this.#add(item);
  }

  get(name: string): T | undefined {
    this.registerBuiltins();
    return this.#items.get(name);
  }

  has(name: string): boolean {
    return this.get(name) !== undefined;
  }

  /** Names in registration order: built-ins first. */
  names(): string[] {
    this.registerBuiltins();
    return [...this.#items.keys()];
  }

  values(): T[] {
    this.registerBuiltins();
    return [...this.#items.values()];
  }

  /** Changes whenever an item is registered: a key for caches of what is derived from the items. */
  get version(): number {
    this.registerBuiltins();
    return this.#version;
  }

  #add(item: T): void {
    const name = this.nameOf(item);
    if (typeof name !== 'string' || name === '') throw new Error(`a ${this.what} needs a name to be registered, got ${JSON.stringify(name)}`);
    if (this.#items.has(name)) throw new Error(`${this.what} "${name}" is already registered; each name is registered once`);
    this.#items.set(name, item);
    this.#version += 1;
  }
}

/**
 * A value derived from registries, rebuilt when any of them changed since it was last built
 * (a validator compiled from the step kinds, a schema listing the transports).
 */
export function derivedFrom<V>(registries: ReadonlyArray<{ readonly version: number }>, build: () => V): () => V {
  let built: { key: string; value: V } | undefined;
  return () => {
    const key = registries.map((r) => r.version).join(',');
    if (built?.key !== key) built = { key, value: build() };
    return built.value;
  };
}
