/**
 * Escaping of values that come from data (group names, column names, system names, notes) for
 * the HTML and Markdown writers. Every such value goes through one of these; a group named
 * `<script>alert(1)</script>` shows as text.
 *
 * @example
 * ```ts
 * escapeHTML('<script>alert(1)</script>'); // '&lt;script&gt;alert(1)&lt;/script&gt;'
 * escapeMarkdown('a|b <i>');               // 'a\\|b &lt;i&gt;'
 * ```
 */

const HTML: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * Escape text for HTML element content and quoted attribute values (`& < > " '`).
 *
 * @example
 * ```ts
 * escapeHTML(`a & "b" <c>`); // 'a &amp; &quot;b&quot; &lt;c&gt;'
 * ```
 */
export function escapeHTML(text: unknown): string {
  return String(text ?? '').replace(/[&<>"']/g, (c) => HTML[c]!);
}

/**
 * Escape text for Markdown (also inside a table cell): HTML-significant characters become
 * entities (Markdown passes raw HTML through), Markdown punctuation is backslash-escaped, pipes
 * cannot end a cell and newlines cannot end a row.
 *
 * @example
 * ```ts
 * escapeMarkdown('*x* | <b>');  // '\\*x\\* \\| &lt;b&gt;'
 * escapeMarkdown('two\nlines'); // 'two lines'
 * ```
 */
export function escapeMarkdown(text: unknown): string {
  return String(text ?? '')
    .replace(/[&<>]/g, (c) => HTML[c]!)
    .replace(/[\\`*_[\]|#!~]/g, (c) => `\\${c}`)
    .replace(/\s*[\r\n]+\s*/g, ' ');
}
