/** Aligned text tables for the terminal. */

/** Left-aligns text columns and right-aligns columns whose cells all look numeric. */
export function table(header: string[], rows: string[][]): string {
  // A loop, not Math.max(...column): a spread of 100k rows overflows the stack.
  const widths = header.map((h) => h.length);
  for (const r of rows) for (let c = 0; c < widths.length; c++) widths[c] = Math.max(widths[c]!, (r[c] ?? '').length);
  const numeric = header.map(
    (_, c) =>
      rows.length > 0 && rows.every((r) => /^[-+]?[\d.]+(e[-+]\d+)?%?$|^-?inf$|^nan$|^[\d.]+ [kMGTP]?B$/.test(r[c] ?? '')),
  );
  const fmt = (r: string[]) =>
    r
      .map((cell, c) => (numeric[c] ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!)))
      .join('  ')
      .trimEnd();
  return [fmt(header), fmt(widths.map((w) => '-'.repeat(w))), ...rows.map(fmt)].join('\n');
}
