/** Naming rules shared by fields and models. */

/** `publishedDate` → `published_date`; `ISBNCode` → `isbn_code`. Column and table names use it. */
export function snakeCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toLowerCase();
}

/** `publishedDate` → `published date`: the default verbose name of a field. */
export function verboseNameOf(name: string): string {
  return snakeCase(name).replace(/_/g, ' ');
}

/** Upper-cases the first character (Django's `capfirst`). */
export function capfirst(text: string): string {
  return text ? text[0]!.toUpperCase() + text.slice(1) : text;
}
