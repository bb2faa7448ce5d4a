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

/**
 * The start of a self-contained page, up to `<body>`: its content security policy forbids any
 * network access (a page opened from disk or an attachment cannot call out even if a message
 * held a URL), and allows inline script only when the page has some.
 */
export function pageHead(title: string, style: string, options: { script: boolean }): string {
  const script = options.script ? " script-src 'unsafe-inline'; img-src data:" : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline';${script}">
<title>${escapeHtml(title)}</title>
<style>${style}</style>
</head>
<body>
`;
}
