// Messages of the reports area: Outcome reports and charts. Keys start with "reports.".
const en = {
  "reports.title": "Outcome reports and charts",
} as const;

const zhCN = {
  "reports.title": "成效报告",
} satisfies Record<keyof typeof en, string>;

export default { en, "zh-CN": zhCN };
