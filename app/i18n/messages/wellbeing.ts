// Messages of the wellbeing area (clients issue). Keys start with "wellbeing.".
const en = {
  "wellbeing.title": "Recovery and risk",
} as const;

const zhCN = {
  "wellbeing.title": "康复与风险",
} satisfies Record<keyof typeof en, string>;

export default { en, "zh-CN": zhCN };
