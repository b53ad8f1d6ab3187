// Messages of the volunteering area: Volunteer hours. Keys start with "volunteering.".
const en = {
  "volunteering.title": "Volunteer hours",
} as const;

const zhCN = {
  "volunteering.title": "志愿服务时长",
} satisfies Record<keyof typeof en, string>;

export default { en, "zh-CN": zhCN };
