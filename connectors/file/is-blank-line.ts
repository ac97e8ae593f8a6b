/**
 * Blank-line detection for line formats: blank and whitespace-only lines are skipped.
 */

/**
 * Whether a line is empty or only whitespace (JavaScript's `\s`). Cheap on the common case: a
 * line whose first character is not whitespace is decided without scanning or allocating.
 */
export function isBlankLine(line: string): boolean {
  if (line.length === 0) return true;
  const c = line.charCodeAt(0);
  if (c > 0x20 && c < 0x7f) return false;
  return line.trim().length === 0;
}
