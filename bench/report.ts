// One row of `npm run bench`: Wireline against its baseline, measured in the same run.

export interface BenchRow {
  /** What was measured, e.g. "gzip size: io + on + emit". */
  name: string;
  unit: string;
  wireline: number;
  /** The baseline's figure: socket.io-client or the socket.io server. */
  baseline: number;
  baselineName: string;
  /** Whether a lower or a higher figure is better. */
  better: "lower" | "higher";
  /** The target ratio (wireline / baseline), when the product sets one. */
  aim?: number;
  /**
   * Where a measurement was cut off (e.g. a wait for recovery): a figure at or past it, or
   * Infinity, prints as "> cap", and a ratio involving it as a bound ("< …" or "> …").
   */
  cap?: number;
}

function formatNumber(value: number): string {
  return value >= 100 ? Math.round(value).toLocaleString("en-US") : value.toFixed(2);
}

function formatFigure(value: number, row: BenchRow): string {
  if (row.cap !== undefined && value >= row.cap) return `> ${formatNumber(row.cap)} ${row.unit}`;
  return `${formatNumber(value)} ${row.unit}`;
}

/** wireline / baseline, with a capped figure replaced by its cap and the bound marked. */
function formatRatio(row: BenchRow): string {
  const capped = (value: number) => row.cap !== undefined && value >= row.cap;
  const [wireline, baseline] = [row.wireline, row.baseline].map((value) =>
    capped(value) ? row.cap! : value,
  ) as [number, number];
  const ratio = (wireline / baseline).toFixed(2);
  if (capped(row.wireline) && capped(row.baseline)) return "ratio n/a (both capped)";
  if (capped(row.wireline)) return `ratio > ${ratio}x`;
  if (capped(row.baseline)) return `ratio < ${ratio}x`;
  return `ratio ${ratio}x`;
}

/** Prints the rows as a table with the ratio wireline/baseline and whether it meets its aim. */
export function printReport(rows: BenchRow[]): void {
  const lines = rows.map((row) => {
    const ratio = row.wireline / row.baseline;
    const meets =
      row.aim === undefined
        ? ""
        : (row.better === "lower" ? ratio <= row.aim : ratio >= row.aim)
          ? "✔"
          : "✖";
    const aim =
      row.aim === undefined ? "" : `aim ${row.better === "lower" ? "≤" : "≥"} ${row.aim}x ${meets}`;
    return [
      row.name,
      formatFigure(row.wireline, row),
      `${row.baselineName} ${formatFigure(row.baseline, row)}`,
      `${formatRatio(row)} (${row.better} is better)`,
      aim,
    ];
  });
  const widths =
    lines[0]?.map((_, column) => Math.max(...lines.map((line) => line[column]!.length))) ?? [];
  for (const line of lines) {
    console.log(
      line
        .map((cell, column) => cell.padEnd(widths[column]!))
        .join("  ")
        .trimEnd(),
    );
  }
}
