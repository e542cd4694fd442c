/**
 * The few Python string semantics Django's validators rely on, so the same
 * password gets the same verdict: lengths in code points, `str.strip()`,
 * `str.isdigit()` and `re.split(r'\W+', …)`.
 */

/** `len(s)`: code points, not UTF-16 units (an emoji counts once). */
export function codePointLength(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

// Python's str.isspace() characters; JS's trim() also strips U+FEFF and
// leaves U+001C–U+001F and U+0085, which Python strips.
const PY_SPACE =
  '[\\t\\n\\v\\f\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]';
const STRIP = new RegExp(`^${PY_SPACE}+|${PY_SPACE}+$`, 'gu');

/** `s.strip()` with Python's whitespace. */
export function pyStrip(s: string): string {
  return s.replace(STRIP, '');
}

// Python's isdigit() is true for Unicode decimal digits (\p{Nd}) and also
// for the other characters with Numeric_Type=Digit: superscripts, circled
// and parenthesised digits, and a few scripts' digits. JavaScript has no
// property for those, so they are listed (from Python 3.11's Unicode 14).
const DIGIT =
  /^[\p{Nd}\u{b2}-\u{b3}\u{b9}\u{1369}-\u{1371}\u{19da}\u{2070}\u{2074}-\u{2079}\u{2080}-\u{2089}\u{2460}-\u{2468}\u{2474}-\u{247c}\u{2488}-\u{2490}\u{24ea}\u{24f5}-\u{24fd}\u{24ff}\u{2776}-\u{277e}\u{2780}-\u{2788}\u{278a}-\u{2792}\u{10a40}-\u{10a43}\u{10e60}-\u{10e68}\u{11052}-\u{1105a}\u{1f100}-\u{1f10a}]+$/u;

/** `s.isdigit()`: non-empty and every character a digit. */
export function pyIsDigit(s: string): boolean {
  return DIGIT.test(s);
}

/** `re.split(r'\W+', s)`: splits on runs of non-word characters, keeping empty ends. */
export function splitOnNonWord(s: string): string[] {
  return s.split(/[^\p{L}\p{N}_]+/u);
}
