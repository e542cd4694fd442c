/**
 * How Python prints a string and a float, for the few of Django's signing
 * messages that show one (`%r` of a separator, `%s` of an age in seconds).
 */

/** Python's `repr()` of a string: `'abc'`, or `"it's"` when only single quotes occur. */
export function pyStrRepr(value: string): string {
  const quote = value.includes("'") && !value.includes('"') ? '"' : "'";
  let body = '';
  for (const char of value) {
    if (char === '\\' || char === quote) body += `\\${char}`;
    else if (char === '\n') body += '\\n';
    else if (char === '\r') body += '\\r';
    else if (char === '\t') body += '\\t';
    else if (char < ' ' || char === '\x7f')
      body += `\\x${char.charCodeAt(0).toString(16).padStart(2, '0')}`;
    else body += char;
  }
  return quote + body + quote;
}

/**
 * Python's `str()` of a float: the shortest round-trip digits (as
 * JavaScript's), always with a `.0` or an exponent, and in exponent form
 * below 1e-4 and from 1e16 (`1e-05`, `1e+16`).
 */
export function pyFloatRepr(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  if (value === 0) return Object.is(value, -0) ? '-0.0' : '0.0';
  const [mantissa, exponentText] = value.toExponential().split('e') as [string, string];
  const exponent = Number(exponentText);
  if (exponent < -4 || exponent >= 16) {
    const digits = String(Math.abs(exponent)).padStart(2, '0');
    return `${mantissa}e${exponent < 0 ? '-' : '+'}${digits}`;
  }
  const fixed = String(value);
  return fixed.includes('.') ? fixed : `${fixed}.0`;
}
