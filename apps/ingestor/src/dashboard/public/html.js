// quoteflow dashboard: the one way markup is built. Every value put into the page goes through
// `html`, which escapes it, unless it is markup `html` built itself (so nesting stays safe).

const ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Markup built by {@link html}: inserted as it is by an enclosing `html`. */
class Markup {
  constructor(text) {
    this.text = text;
  }
  toString() {
    return this.text;
  }
}

/** Text with the characters that mean something in HTML (also inside a quoted attribute) escaped. */
export function escapeHtml(value) {
  return String(value).replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

function piece(value) {
  if (value instanceof Markup) return value.text;
  if (Array.isArray(value)) return value.map(piece).join('');
  if (value == null || value === false) return '';
  return escapeHtml(value);
}

/** Tagged template: `html\`<td>${name}</td>\`` escapes `name`; arrays are joined, null/false leave nothing. */
export function html(strings, ...values) {
  return new Markup(strings.reduce((out, s, i) => out + s + (i < values.length ? piece(values[i]) : ''), ''));
}

/** Joins markup pieces with a separator (itself markup, e.g. `html\`<br>\``, or text). */
export function join(pieces, separator) {
  return new Markup(pieces.map(piece).join(piece(separator)));
}
