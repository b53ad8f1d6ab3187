// Messages of the projects area: Funded projects. Keys start with "projects.".
const en = {
  "projects.title": "Funded projects",
} as const;

const zhCN = {
  "projects.title": "资助项目",
} satisfies Record<keyof typeof en, string>;

export default { en, "zh-CN": zhCN };
