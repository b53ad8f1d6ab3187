/**
 * A horizontal bar chart rendered on the server as plain SVG (UI.md: charts are server-rendered
 * SVG, each with a caption and a data table for screen readers and print). No data access, no
 * chart library, nothing drawn in the browser.
 *
 * Horizontal bars suit long district and studio names and a 390 px phone: the SVG scales to its
 * container's width (viewBox), the label column is fixed, each row grows downward. Accessible: the
 * SVG is an image named by its title and caption; every value is printed at the end of its bar and
 * the same numbers sit in a table (screen readers always; print unless the page prints its own
 * table). Series differ by fill pattern as well as colour, so nothing depends on colour alone.
 */
import { useId } from "react";
import { cx } from "../ui";

export type BarSeries = {
  name: string;
  /** one value per label; null draws no bar and shows "—" */
  values: readonly (number | null)[];
};

export type BarChartProps = {
  /** heading above the chart (also names the image) */
  title: string;
  /** one sentence under the chart: what is shown, as of when */
  caption: string;
  /** the row labels (districts, studios, cohorts, years), in order */
  labels: readonly string[];
  series: readonly BarSeries[];
  /** header of the label column in the data table */
  labelHeader: string;
  /** the value axis runs from 0 to max; default: the largest value (100 for percentages is a good choice) */
  max?: number;
  formatValue?: (n: number) => string;
  /** whether the chart's own data table shows in print (false when the page prints a full table) */
  printTable?: boolean;
  /** the SVG's coordinate width; it scales to the width of its container */
  width?: number;
  className?: string;
};

const FILLS = ["fill-brand", "fill-warn", "fill-ok", "fill-danger"] as const;
const STROKES = ["stroke-brand", "stroke-warn", "stroke-ok", "stroke-danger"] as const;
const LABEL_W = 168;
const VALUE_W = 64;
const BAR_H = 18;
const BAR_GAP = 4;
const ROW_GAP = 14;
const TOP = 8;
const AXIS_H = 24;
const MAX_LABEL_CHARS = 16;

/** Some round number at or above n, for the axis end. */
function niceMax(n: number): number {
  if (!(n > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(n));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * power >= n) return step * power;
  return 10 * power;
}

function shorten(label: string): string {
  return [...label].length > MAX_LABEL_CHARS ? `${[...label].slice(0, MAX_LABEL_CHARS - 1).join("")}…` : label;
}

export function BarChart({ title, caption, labels, series, labelHeader, max, formatValue = (n) => String(n), printTable = true, width = 640, className }: BarChartProps) {
  const id = useId().replace(/:/g, "");
  const titleId = `${id}-title`;
  const captionId = `${id}-caption`;
  const values = series.flatMap((s) => s.values.filter((v): v is number => v !== null && Number.isFinite(v)));
  const axisMax = max ?? niceMax(Math.max(0, ...values));
  const plotW = width - LABEL_W - VALUE_W;
  const groupH = series.length * BAR_H + (series.length - 1) * BAR_GAP;
  const height = TOP + labels.length * (groupH + ROW_GAP) + AXIS_H;
  const x = (v: number) => LABEL_W + (Math.min(Math.max(v, 0), axisMax) / (axisMax || 1)) * plotW;
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => f * axisMax);
  const plotBottom = height - AXIS_H;

  return (
    <figure className={cx("w-full", className)}>
      <h3 id={titleId} className="mb-2 font-semibold">
        {title}
      </h3>
      <svg
        viewBox={`0 0 ${width} ${height}`}
        role="img"
        aria-labelledby={`${titleId} ${captionId}`}
        className="h-auto w-full max-w-full text-[13px] print:break-inside-avoid"
        preserveAspectRatio="xMinYMin meet"
      >
        <defs>
          {/* second and later series: hatched, so they differ without colour */}
          {series.map((_, si) =>
            si === 0 ? null : (
              <pattern key={si} id={`${id}-p${si}`} patternUnits="userSpaceOnUse" width="6" height="6" patternTransform={`rotate(${si % 2 ? 45 : -45})`}>
                <rect width="6" height="6" className={FILLS[si % FILLS.length]} opacity="0.35" />
                <line x1="0" y1="0" x2="0" y2="6" strokeWidth="3" className={STROKES[si % STROKES.length]} />
              </pattern>
            ),
          )}
        </defs>
        <g>
          {ticks.map((t) => (
            <g key={t}>
              <line x1={x(t)} x2={x(t)} y1={TOP - 4} y2={plotBottom} className="stroke-line" strokeWidth={1} />
              <text x={x(t)} y={height - 6} textAnchor="middle" className="fill-muted">
                {formatValue(Math.round(t * 100) / 100)}
              </text>
            </g>
          ))}
        </g>
        {labels.map((label, i) => {
          const y0 = TOP + i * (groupH + ROW_GAP);
          return (
            <g key={i}>
              <text x={LABEL_W - 8} y={y0 + groupH / 2} textAnchor="end" dominantBaseline="middle" className="fill-ink">
                <title>{label}</title>
                {shorten(label)}
              </text>
              {series.map((s, si) => {
                const v = s.values[i];
                const y = y0 + si * (BAR_H + BAR_GAP);
                const has = v !== null && v !== undefined && Number.isFinite(v);
                const w = has ? Math.max(x(v) - LABEL_W, v > 0 ? 2 : 0) : 0;
                return (
                  <g key={s.name}>
                    {has && (
                      <rect
                        x={LABEL_W}
                        y={y}
                        width={w}
                        height={BAR_H}
                        rx={2}
                        className={cx(si === 0 && FILLS[0], STROKES[si % STROKES.length])}
                        fill={si === 0 ? undefined : `url(#${id}-p${si})`}
                        strokeWidth={si === 0 ? 0 : 1.5}
                      >
                        <title>{`${label}: ${s.name} ${formatValue(v)}`}</title>
                      </rect>
                    )}
                    <text x={LABEL_W + w + 6} y={y + BAR_H / 2} dominantBaseline="middle" className="fill-ink font-medium">
                      {has ? formatValue(v) : "—"}
                    </text>
                  </g>
                );
              })}
            </g>
          );
        })}
        <line x1={LABEL_W} x2={LABEL_W} y1={TOP - 4} y2={plotBottom} className="stroke-muted" strokeWidth={1} />
      </svg>
      {series.length > 1 && (
        <ul className="mt-2 flex flex-wrap gap-4 text-sm" aria-hidden="true">
          {series.map((s, si) => (
            <li key={s.name} className="flex items-center gap-2">
              <svg width="24" height="14" aria-hidden="true">
                <rect
                  width="24"
                  height="14"
                  rx="2"
                  className={cx(si === 0 && FILLS[0], STROKES[si % STROKES.length])}
                  fill={si === 0 ? undefined : `url(#${id}-p${si})`}
                  strokeWidth={si === 0 ? 0 : 1.5}
                />
              </svg>
              {s.name}
            </li>
          ))}
        </ul>
      )}
      <figcaption id={captionId} className="mt-2 text-sm text-muted">
        {caption}
      </figcaption>
      <table className={cx("sr-only", printTable && "print:not-sr-only print:mt-3 print:w-full print:border-collapse print:text-left")}>
        <caption>{title}</caption>
        <thead>
          <tr>
            <th scope="col">{labelHeader}</th>
            {series.map((s) => (
              <th key={s.name} scope="col">
                {s.name}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {labels.map((label, i) => (
            <tr key={i}>
              <th scope="row">{label}</th>
              {series.map((s) => {
                const v = s.values[i];
                return <td key={s.name}>{v === null || v === undefined ? "—" : formatValue(v)}</td>;
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
