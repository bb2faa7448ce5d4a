/**
 * JSON that can sit inside a `<script>` element: `<` is escaped so no `</script>` or `<!--` can
 * end or confuse the element, and U+2028/U+2029 are escaped for engines that parse the text as
 * script. The escapes are JSON escapes, so `JSON.parse` gives back the same value.
 */
export function embeddableJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** Text for an HTML element or a quoted attribute. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
