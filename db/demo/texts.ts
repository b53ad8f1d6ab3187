/**
 * Fixed Chinese texts the demo draws from: client aliases, contact summaries, reasons, plan
 * goals, training activities. Every sentence is a made-up template about nobody in particular;
 * free-text reasons say "（虚构记录）" so a screenshot cannot be mistaken for a real case.
 */
import type { GoalArea } from "../schema";
import { GIVEN_NAMES, SURNAMES } from "./places";

/** Marks a client's alias as an alias. */
export const ALIAS_MARK = "（化名）";

/** Nicknames in the way Shanghai case files write aliases: 阿明, 小陈, 老王. */
export const ALIAS_STEMS: readonly string[] = [
  ...[...new Set(GIVEN_NAMES.filter((g) => g.length === 1))].map((g) => `阿${g}`),
  ...SURNAMES.map((s) => `小${s}`),
  ...SURNAMES.map((s) => `老${s}`),
  ...SURNAMES.slice(0, 40).map((s) => `大${s}`),
];

export const CLOSED_REASONS: readonly string[] = [
  "社区康复期满，依法解除（虚构记录）",
  "社区戒毒期满，依法解除（虚构记录）",
  "迁居外省市，已函告当地（虚构记录）",
  "户籍迁出本市，结案（虚构记录）",
  "转至外区社工点继续服务（虚构记录）",
];
/** A closure that also ends the consent. */
export const CLOSED_WITHDRAWN_REASON = "本人撤回同意，不再接受服务（虚构记录）";

export const RELAPSE_NOTES: Record<"relapse" | "test_positive" | "use", readonly string[]> = {
  relapse: ["本人承认复吸（虚构记录）", "家属反映疑似复吸，经核实（虚构记录）"],
  test_positive: ["社区尿检阳性（虚构记录）", "派出所例行检测阳性（虚构记录）"],
  use: ["本人自述偶有使用（虚构记录）", "入组前使用记录（虚构记录）"],
};
export const FACILITY_RELEASE_NOTE = "强制隔离戒毒期满出所（虚构记录）";
export const TEST_NEGATIVE_NOTE = "社区尿检阴性（虚构记录）";

export const RECOGNITION_EVIDENCE: readonly string[] = [
  "连续三年尿检均为阴性，社区民警及居委会确认（虚构记录）",
  "三年内定期检测阴性，家属及社工点共同确认（虚构记录）",
  "三年随访记录完整，无复吸迹象，经社工点评估（虚构记录）",
];

/** Contact summaries by contact type: short, fictional, about nobody. */
export const CONTACT_SUMMARIES: Record<string, readonly string[]> = {
  homeVisit: [
    "上门家访，服务对象情绪稳定，与家人关系有所改善。",
    "家访时与家属沟通近况，家属表示愿意配合帮教。",
    "入户了解生活情况，居住环境整洁，作息规律。",
    "家访，讨论近期求职打算，约定下次一起看招聘信息。",
    "与居委会干部一同家访，了解社区支持情况。",
  ],
  phone: [
    "电话随访，服务对象表示近期状态良好。",
    "电话联系，提醒按时参加社区尿检。",
    "电话了解工作近况，对方反映压力较大，已做疏导。",
    "电话沟通，约定下周面谈时间。",
    "电话随访，服务对象反映睡眠改善。",
  ],
  letter: [
    "给所内服务对象写信，介绍家中近况，鼓励安心戒治。",
    "收到服务对象来信，回信说明出所后的衔接安排。",
    "寄送书信及学习资料，鼓励坚持学习技能。",
  ],
  facilityVisit: [
    "赴戒毒所探访，了解戒治表现，商议出所衔接计划。",
    "所内探访，服务对象表示出所后愿意接受社区帮教。",
    "与所内民警沟通戒治情况，向服务对象转达家人问候。",
  ],
  familyCall: [
    "与家属通话，了解家庭关系及经济状况。",
    "协助服务对象与家人亲情通话，沟通顺利。",
    "与配偶电话沟通，家属对近期变化表示肯定。",
  ],
  office: [
    "服务对象来社工点面谈，讨论个性化帮教计划。",
    "来访面谈，回顾本月目标完成情况。",
    "到社工点签到并面谈，情绪平稳。",
  ],
  groupSession: [
    "参加同伴教育小组活动，主动分享戒断经验。",
    "参加小组活动，主题为压力管理与情绪调节。",
    "参加小组活动，与同伴交流求职经历。",
  ],
  other: ["陪同前往社区卫生服务中心就诊。", "协助办理就业登记手续。", "陪同参加社区志愿服务活动。"],
};
export const INTAKE_SUMMARY = "初次面谈，说明帮教服务内容并签署知情同意书。";

/** What a peer tutor writes after supporting a mentee. */
export const TUTOR_SUMMARIES: readonly string[] = [
  "同伴电话支持，分享自己的戒断经历，对方表示受到鼓舞。",
  "一对一同伴陪伴，一起讨论如何应对诱惑情境。",
  "同伴走访，聊近况与工作，约定下周再见面。",
  "邀请参加工作室小组活动，对方答应参加。",
];

export const RISK_OBSERVATIONS: readonly string[] = [
  "近期情绪波动较大，需关注（虚构记录）",
  "反映与旧友有接触，已提醒风险（虚构记录）",
  "失业后压力增大，建议加密随访（虚构记录）",
];

export const FLAG_REASONS: Record<"risk" | "crisis", readonly string[]> = {
  risk: [
    "近期失业，情绪低落，有复吸风险（虚构记录）",
    "与旧友恢复联系，需加强随访（虚构记录）",
    "家庭矛盾加剧，需关注（虚构记录）",
    "连续两次未按约定参加尿检（虚构记录）",
  ],
  crisis: ["家属来电反映其情绪极度低落，需立即跟进（虚构记录）", "自述有轻生念头，已联系家属并转介心理援助（虚构记录）"],
};
export const FLAG_RESOLUTIONS: readonly string[] = [
  "经多次随访，情况已稳定（虚构记录）",
  "已协助找到工作，风险降低（虚构记录）",
  "家庭关系缓和，解除关注（虚构记录）",
];

export const PLAN_GOALS: readonly { area: GoalArea; goal: string; action: string; owner: string }[] = [
  { area: "abstinence", goal: "保持操守，按时参加社区尿检", action: "每月尿检一次，社工提醒并记录", owner: "服务对象" },
  { area: "family", goal: "修复与家人的关系", action: "每月一次家庭会谈", owner: "社工" },
  { area: "employment", goal: "找到稳定工作", action: "参加职业技能培训并投递简历", owner: "服务对象" },
  { area: "health", goal: "改善睡眠与身体状况", action: "到社区卫生服务中心随访", owner: "服务对象" },
  { area: "social", goal: "参加同伴教育小组活动", action: "每月参加一次工作室活动", owner: "同伴辅导员" },
  { area: "housing", goal: "落实稳定住所", action: "协助申请租房补贴", owner: "社工" },
  { area: "legal", goal: "按期完成社区康复要求", action: "按时报到，遵守协议", owner: "服务对象" },
];
export const PLAN_NOTES: readonly string[] = [
  "根据评估结果制定，每季度回顾一次（虚构记录）",
  "重点关注就业与家庭支持（虚构记录）",
];
export const PLAN_RETURN_NOTE = "请补充就业目标的具体行动（虚构记录）";

export const LIFT_NOTES = { granted: "派出所回复同意解除动态管控（虚构记录）", sent: "已向派出所发函（虚构记录）", draft: "" } as const;

/** The six modules of the peer-tutor programme: code, 中文, English, required hours. */
export const DEMO_MODULES = [
  ["PE-PRINCIPLES", "同伴教育原则", "Peer education principles", 10],
  ["COMMUNICATION", "沟通与倾听", "Communication and listening", 10],
  ["RELAPSE", "预防复吸", "Relapse prevention", 12],
  ["CRISIS", "危机干预", "Crisis response", 8],
  ["ETHICS", "伦理与边界", "Ethics and boundaries", 6],
  ["FACILITATION", "小组带领", "Group facilitation", 8],
] as const;

export const PRACTICUM_ACTIVITIES: readonly string[] = [
  "在工作室协助带领同伴小组（虚构记录）",
  "跟随辅导员开展一对一同伴支持（虚构记录）",
  "参与社区禁毒宣传活动（虚构记录）",
  "协助组织家属支持小组（虚构记录）",
];
export const CONTINUING_EDUCATION: readonly string[] = [
  "继续教育：动机式访谈进阶（虚构记录）",
  "继续教育：危机干预复训（虚构记录）",
  "继续教育：同伴督导会（虚构记录）",
  "继续教育：心理健康急救（虚构记录）",
];
export const ENROLMENT_REASONS = {
  withdrawn: ["因工作原因退出培训（虚构记录）", "因家庭照护需要退出本期培训（虚构记录）"],
  notCertified: ["危机干预模块两次考核未通过（虚构记录）", "出勤未达到要求（虚构记录）"],
} as const;
