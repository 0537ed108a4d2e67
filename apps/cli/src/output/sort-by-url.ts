const collator = new Intl.Collator('en', { numeric: true });

/** Backends in a stable, human order: by URL, ports compared as numbers. */
export function sortByUrl<T extends { url: string }>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => collator.compare(a.url, b.url));
}
