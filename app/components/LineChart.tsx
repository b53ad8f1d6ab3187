/**
 * A line chart rendered on the server as plain SVG (UI.md: charts are server-rendered SVG, each
 * with a caption and a data table for screen readers and print). No data access, no chart
 * library: points sit at even steps along the x axis, one per label.
 *
 * Accessible: the SVG is an image named by the visible caption; the same numbers are in a table
 * that screen readers read and print shows. Series differ by dash pattern and marker as well as
 * colour, so nothing depends on colour alone.
 */
import { useId } from "react";
import { cx } from "./ui";

export type LineSeries = {
  name: string;
  /** one value per label; null leaves a gap */
  values: readonly (number | null)[];
};

export type LineChartProps = {
  /** what the chart shows, visible under it and naming the image */
  caption: string;
  /** the x-axis labels (e.g. formatted dates), in order, one per point */
  labels: readonly string[];
  series: readonly LineSeries[];
  /** header of the label column in the data table */
  labelHeader: string;
  /** [min, max] of the y axis; default: the data's range, widened to whole tens */
  yDomain?: readonly [number, number];
  /** y values to draw grid lines at; default: five even steps of the domain */
  yTicks?: readonly number[];
  formatValue?: (n: number) => string;
  /** the SVG's coordinate size; it scales to the width of its container */
  width?: number;
  height?: number;
  className?: string;
};

const STYLES = [
  { line: "stroke-brand", dot: "fill-brand", dash: undefined },
  { line: "stroke-warn", dot: "fill-warn", dash: "6 4" },
  { line: "stroke-ok", dot: "fill-ok", dash: "2 3" },
  { line: "stroke-danger", dot: "fill-danger", dash: "10 3 2 3" },
] as const;

const PAD = { top: 12, right: 16, bottom: 36, left: 40 };

function defaultDomain(series: readonly LineSeries[]): [number, number] {
  const all = series.flatMap((s) => s.values.filter((v): v is number => v !== null && Number.isFinite(v)));
  if (all.length === 0) return [0, 10];
  const lo = Math.floor(Math.min(...all) / 10) * 10;
  const hi = Math.ceil(Math.max(...all) / 10) * 10;
  return lo === hi ? [lo, lo + 10] : [lo, hi];
}

function evenTicks([lo, hi]: readonly [number, number], steps = 5): number[] {
  return Array.from({ length: steps + 1 }, (_, i) => lo + ((hi - lo) * i) / steps);
}

export function LineChart({
  caption,
  labels,
  series,
  labelHeader,
  yDomain,
  yTicks,
  formatValue = (n) => String(n),
  width = 640,
  height = 240,
  className,
}: LineChartProps) {
  const id = useId();
  const captionId = `${id}-caption`;
  const domain = yDomain ?? defaultDomain(series);
  const ticks = yTicks ?? evenTicks(domain);
  const plotW = width - PAD.left - PAD.right;
  const plotH = height - PAD.top - PAD.bottom;
  const x = (i: number) => PAD.left + (labels.length <= 1 ? plotW / 2 : (plotW * i) / (labels.length - 1));
  const y = (v: number) => {
    const [lo, hi] = domain;
    const clamped = Math.min(hi, Math.max(lo, v));
    return PAD.top + plotH - ((clamped - lo) / (hi - lo || 1)) * plotH;
  };
  // at most about eight x labels, evenly picked, the last always shown
  const every = Math.max(1, Math.ceil(labels.length / 8));
  const showLabel = (i: number) => i === labels.length - 1 || (i % every === 0 && labels.length - 1 - i >= every / 2);

  return (
    <figure className={cx("w-full", className)}>
      <svg
        viewBox={`0 0 ${width} ${height}`}
        role="img"
        aria-labelledby={captionId}
        className="h-auto w-full max-w-full overflow-visible text-xs"
        preserveAspectRatio="xMidYMid meet"
      >
        <g>
          {ticks.map((t) => (
            <g key={t}>
              <line x1={PAD.left} x2={width - PAD.right} y1={y(t)} y2={y(t)} className="stroke-line" strokeWidth={1} />
              <text x={PAD.left - 6} y={y(t)} textAnchor="end" dominantBaseline="middle" className="fill-muted">
                {formatValue(t)}
              </text>
            </g>
          ))}
          <line x1={PAD.left} x2={PAD.left} y1={PAD.top} y2={PAD.top + plotH} className="stroke-muted" strokeWidth={1} />
        </g>
        <g>
          {labels.map((label, i) =>
            showLabel(i) ? (
              <text key={i} x={x(i)} y={height - PAD.bottom + 18} textAnchor="middle" className="fill-muted">
                {label}
              </text>
            ) : null,
          )}
        </g>
        {series.map((s, si) => {
          const style = STYLES[si % STYLES.length]!;
          const segments: string[] = [];
          let current: string[] = [];
          s.values.forEach((v, i) => {
            if (v === null || !Number.isFinite(v)) {
              if (current.length) segments.push(current.join(" "));
              current = [];
            } else {
              current.push(`${current.length ? "L" : "M"}${x(i).toFixed(1)},${y(v).toFixed(1)}`);
            }
          });
          if (current.length) segments.push(current.join(" "));
          return (
            <g key={s.name}>
              {segments.map((d, k) => (
                <path key={k} d={d} fill="none" strokeWidth={2.5} strokeDasharray={style.dash} strokeLinejoin="round" className={style.line} />
              ))}
              {s.values.map((v, i) =>
                v === null || !Number.isFinite(v) ? null : (
                  <circle key={i} cx={x(i)} cy={y(v)} r={si % 2 === 0 ? 4 : 5} className={style.dot}>
                    <title>{`${labels[i] ?? ""}: ${s.name} ${formatValue(v)}`}</title>
                  </circle>
                ),
              )}
            </g>
          );
        })}
      </svg>
      {series.length > 1 && (
        <ul className="mt-2 flex flex-wrap gap-4 text-sm" aria-hidden="true">
          {series.map((s, si) => {
            const style = STYLES[si % STYLES.length]!;
            return (
              <li key={s.name} className="flex items-center gap-2">
                <svg width="28" height="10" aria-hidden="true">
                  <line x1="0" x2="28" y1="5" y2="5" strokeWidth={2.5} strokeDasharray={style.dash} className={style.line} />
                </svg>
                {s.name}
              </li>
            );
          })}
        </ul>
      )}
      <figcaption id={captionId} className="mt-2 text-sm text-muted">
        {caption}
      </figcaption>
      <table className="sr-only print:not-sr-only print:mt-3 print:w-full print:border-collapse print:text-left">
        <caption>{caption}</caption>
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
