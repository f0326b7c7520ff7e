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
}

function formatNumber(value: number): string {
  return value >= 100 ? Math.round(value).toLocaleString("en-US") : value.toFixed(2);
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
      `${formatNumber(row.wireline)} ${row.unit}`,
      `${row.baselineName} ${formatNumber(row.baseline)} ${row.unit}`,
      `ratio ${ratio.toFixed(2)}x (${row.better} is better)`,
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
