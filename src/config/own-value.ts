// Records built from what the user wrote (YAML hashes, environments, fetched secrets) are plain objects, which
// inherit `constructor`, `toString`, `__proto__`...: `record[name]` with a name the user chose must not find those.

/** `record[key]` when the record itself has that key; never an inherited Object.prototype member. */
export function ownValue<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

/** `record[key] = value` as an own property, even for `__proto__`, which assignment would take as the prototype. */
export function setOwnValue<T>(record: Record<string, T>, key: string, value: T): void {
  if (key === "__proto__") Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
  else record[key] = value;
}
