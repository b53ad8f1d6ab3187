/**
 * A progress bar that says its figure in words beside it (never colour or length alone), with an
 * accessible progressbar role and value text. Printable: the fill keeps its colour in print.
 */
import type { ReactNode } from "react";
import { cx } from "./ui";

export function ProgressBar({ label, percent, valueText, met, status }: { label: ReactNode; percent: number | null; valueText: string; met: boolean; status?: ReactNode }) {
  return (
    <div className="mb-4 break-inside-avoid">
      <div className="flex flex-wrap items-baseline justify-between gap-x-3">
        <span className="font-medium">{label}</span>
        <span className="tabular-nums">
          {valueText} {status}
        </span>
      </div>
      {percent !== null && (
        <div
          role="progressbar"
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={percent}
          aria-valuetext={valueText}
          className="mt-1 h-3 w-full overflow-hidden rounded-full border border-line bg-neutral-soft [print-color-adjust:exact]"
        >
          {/* an SVG rectangle, not an inline style: the content security policy allows no style attributes */}
          <svg viewBox="0 0 100 10" preserveAspectRatio="none" className="block h-full w-full" aria-hidden="true">
            <rect x="0" y="0" height="10" width={percent} className={cx("[print-color-adjust:exact]", met ? "fill-ok" : "fill-brand")} />
          </svg>
        </div>
      )}
    </div>
  );
}
