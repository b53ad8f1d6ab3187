/**
 * A horizontal bar chart rendered on the server as plain SVG (UI.md: charts are server-rendered
 * SVG, each with a caption and a data table for screen readers and print). No data access, no
 * chart library, nothing drawn in the browser.
 *
 * Horizontal bars suit long district and studio names and a 390 px phone: two drawings of the
 * same bars, a narrow one shown on phones and a wide one on desks and in print (only one is ever
 * displayed, so assistive technology meets one image); each scales to its container's width
 * (viewBox), the label column is fixed, each row grows downward. Accessible: the
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
  /** how the axis shows its grid values (default: formatValue); keep it short, e.g. "20%" */
  formatTick?: (n: number) => string;
  /** whether the chart's own data table shows in print (false when the page prints a full table) */
  printTable?: boolean;
  /** the SVG's coordinate width; it scales to the width of its container */
  width?: number;
  className?: string;
};

const FILLS = ["fill-brand", "fill-warn", "fill-ok", "fill-danger"] as const;
const STROKES = ["stroke-brand", "stroke-warn", "stroke-ok", "stroke-danger"] as const;
const BAR_H = 18;
const BAR_GAP = 4;
const ROW_GAP = 14;
const TOP = 8;
const AXIS_H = 24;

/** The two drawings: a narrow one for phones (text stays about 13 px at 390 px) and a wide one for desks and print. */
type Layout = { width: number; labelW: number; valueW: number; maxChars: number };
const NARROW: Omit<Layout, "width"> = { labelW: 96, valueW: 60, maxChars: 7 };
const WIDE: Omit<Layout, "width"> = { labelW: 168, valueW: 64, maxChars: 16 };
const NARROW_WIDTH = 360;

/** Some round number at or above n, for the axis end. */
function niceMax(n: number): number {
  if (!(n > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(n));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * power >= n) return step * power;
  return 10 * power;
}

/** Grid values: quarters of 2·10^k (0.5 steps), fifths otherwise, so tick labels stay round. */
function ticksOf(axisMax: number): number[] {
  const lead = axisMax / 10 ** Math.floor(Math.log10(axisMax || 1));
  const intervals = Math.abs(lead - 2) < 1e-9 ? 4 : 5;
  return Array.from({ length: intervals + 1 }, (_, i) => (axisMax * i) / intervals);
}

function shorten(label: string, maxChars: number): string {
  return [...label].length > maxChars ? `${[...label].slice(0, maxChars - 1).join("")}…` : label;
}

export function BarChart({ title, caption, labels, series, labelHeader, max, formatValue = (n) => String(n), formatTick, printTable = true, width = 640, className }: BarChartProps) {
  const id = useId().replace(/:/g, "");
  const titleId = `${id}-title`;
  const captionId = `${id}-caption`;
  const values = series.flatMap((s) => s.values.filter((v): v is number => v !== null && Number.isFinite(v)));
  const axisMax = max ?? niceMax(Math.max(0, ...values));
  const ticks = ticksOf(axisMax);
  const groupH = series.length * BAR_H + (series.length - 1) * BAR_GAP;
  const height = TOP + labels.length * (groupH + ROW_GAP) + AXIS_H;
  const plotBottom = height - AXIS_H;

  const drawing = (layout: Layout, key: string, visibility: string) => {
    const { labelW } = layout;
    const plotW = layout.width - labelW - layout.valueW;
    const x = (v: number) => labelW + (Math.min(Math.max(v, 0), axisMax) / (axisMax || 1)) * plotW;
    return (
      <svg
        key={key}
        viewBox={`0 0 ${layout.width} ${height}`}
        role="img"
        aria-labelledby={`${titleId} ${captionId}`}
        className={cx("h-auto w-full max-w-full text-[13px] print:break-inside-avoid", visibility)}
        preserveAspectRatio="xMinYMin meet"
      >
        <g>
          {ticks.map((t) => (
            <g key={t}>
              <line x1={x(t)} x2={x(t)} y1={TOP - 4} y2={plotBottom} className="stroke-line" strokeWidth={1} />
              <text x={x(t)} y={height - 6} textAnchor="middle" className="fill-muted">
                {(formatTick ?? formatValue)(Math.round(t * 100) / 100)}
              </text>
            </g>
          ))}
        </g>
        {labels.map((label, i) => {
          const y0 = TOP + i * (groupH + ROW_GAP);
          return (
            <g key={i}>
              <text x={labelW - 8} y={y0 + groupH / 2} textAnchor="end" dominantBaseline="middle" className="fill-ink">
                <title>{label}</title>
                {shorten(label, layout.maxChars)}
              </text>
              {series.map((s, si) => {
                const v = s.values[i];
                const y = y0 + si * (BAR_H + BAR_GAP);
                const has = v !== null && v !== undefined && Number.isFinite(v);
                const w = has ? Math.max(x(v) - labelW, v > 0 ? 2 : 0) : 0;
                return (
                  <g key={s.name}>
                    {has && (
                      <rect
                        x={labelW}
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
                    <text x={labelW + w + 6} y={y + BAR_H / 2} dominantBaseline="middle" className="fill-ink font-medium">
                      {has ? formatValue(v) : "—"}
                    </text>
                  </g>
                );
              })}
            </g>
          );
        })}
        <line x1={labelW} x2={labelW} y1={TOP - 4} y2={plotBottom} className="stroke-muted" strokeWidth={1} />
      </svg>
    );
  };

  return (
    <figure className={cx("w-full", className)}>
      <h3 id={titleId} className="mb-2 font-semibold">
        {title}
      </h3>
      {/* the hatch patterns of the second and later series, shared by both drawings and the legend */}
      <svg width="0" height="0" className="absolute" aria-hidden="true" focusable="false">
        <defs>
          {series.map((_, si) =>
            si === 0 ? null : (
              <pattern key={si} id={`${id}-p${si}`} patternUnits="userSpaceOnUse" width="6" height="6" patternTransform={`rotate(${si % 2 ? 45 : -45})`}>
                <rect width="6" height="6" className={FILLS[si % FILLS.length]} opacity="0.35" />
                <line x1="0" y1="0" x2="0" y2="6" strokeWidth="3" className={STROKES[si % STROKES.length]} />
              </pattern>
            ),
          )}
        </defs>
      </svg>
      {drawing({ ...NARROW, width: NARROW_WIDTH }, "narrow", "sm:hidden print:hidden")}
      {drawing({ ...WIDE, width }, "wide", "hidden sm:block print:block")}
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
