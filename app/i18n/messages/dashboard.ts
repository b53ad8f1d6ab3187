// Messages of the dashboard area: Role dashboards (home pages). Keys start with "dashboard.".
const en = {
  "dashboard.title": "Role dashboards (home pages)",
} as const;

const zhCN = {
  "dashboard.title": "工作台",
} satisfies Record<keyof typeof en, string>;

export default { en, "zh-CN": zhCN };
