// Messages of the organisation area. Keys start with "organisation.".
const en = {
  "organisation.title": "Organisation",
} as const;

const zhCN = {
  "organisation.title": "组织架构",
} satisfies Record<keyof typeof en, string>;

export default { en, "zh-CN": zhCN };
