/** Server-rendered SVG charts (UI.md): BarChart here, LineChart (app/components/LineChart.tsx) re-exported. */
export { BarChart } from "./BarChart";
export type { BarChartProps, BarSeries } from "./BarChart";
export { LineChart } from "../LineChart";
export type { LineChartProps, LineSeries } from "../LineChart";
