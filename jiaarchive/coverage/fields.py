"""The facts of the unit profile (单位基本情况) as data: key, Chinese label, kind.

Plain data on the lowest floor, so that the audit log can label a profile change without
importing ``coverage.profile`` (which reads and writes the archive).
"""

from __future__ import annotations

from dataclasses import dataclass, replace


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    kind: str  # int, text, date, bool, term, events, grade
    help: str = ""
    negative: str = ""  # a bool fact said the other way round (经费审查委员会……不健全)
    parent: bool = False  # a fact of the 基层工会: a 小家 takes it from its parent union
    xiaojia_label: str = ""  # the label a 小家 sees for its own fact, when it differs
    xiaojia_own: bool = False  # a parent fact a 小家 also keeps for itself (its 会员人数, its 小组长 election)
    zhijia_only: bool = False  # a fact only a 之家 is asked for (the enterprise's 集体合同 survey)


FIELDS: tuple[Field, ...] = (
    Field("employees", "职工总数", "int", "含农民工、劳务派遣工", parent=True),
    Field("members", "会员总数", "int", parent=True, xiaojia_label="会员人数", xiaojia_own=True),
    Field("chair", "工会主席", "text", "小家填工会小组长（分工会负责人）", xiaojia_label="工会小组长（分工会负责人）"),
    Field("phone", "联系电话", "text"),
    Field("postcode", "邮政编码", "text"),
    Field("ownership", "单位所有制形式", "text"),
    Field("operation", "经营方式", "text"),
    Field("full_time_cadres", "工会专职干部数", "int"),
    Field("branches", "分工会数", "int"),
    Field("group_name", "分工会（工会小组）名称", "text", "小家填写"),
    Field("elected_on", "工会委员会选举日期", "date", parent=True, xiaojia_label="工会小组长（分工会）选举日期",
          xiaojia_own=True),
    Field("term_years", "任期（年）", "term", "3 或 5", parent=True, xiaojia_own=True),
    Field("funds_committee", "经费审查委员会（或经审委员）健全", "bool",
          negative="经费审查委员会（或经审委员）不健全", parent=True),
    Field("women_committee", "女职工委员会（或女职工委员）健全", "bool",
          negative="女职工委员会（或女职工委员）不健全", parent=True),
    Field("labour_contracts", "依法签订并履行劳动合同", "bool", negative="未依法签订或履行劳动合同", parent=True),
    Field("social_insurance", "依法参加社会保险并足额缴费", "bool", negative="未依法参加社会保险或未足额缴费",
          parent=True),
    Field("staff_congress", "已建立职（教）代会制度", "bool", negative="未建立职（教）代会制度", parent=True),
    Field("open_affairs", "已建立厂务（校务）公开制度", "bool", negative="未建立厂务（校务）公开制度", parent=True),
    Field("collective_contract", "已建立集体协商和集体合同制度", "bool", negative="未建立集体协商和集体合同制度",
          parent=True),
    Field("ballots_on", "会员评家测评日期", "date", "最近一次测评的日期", parent=True),
    Field("ballots_satisfied", "评家测评原始票：满意", "int", parent=True),
    Field("ballots_basically_satisfied", "评家测评原始票：基本满意", "int", parent=True),
    Field("ballots_dissatisfied", "评家测评原始票：不满意", "int", parent=True),
    Field("contract_surveyed", "集体合同履约情况测评：参评职工数", "int", "职工对集体合同履约情况的测评（非公有制企业评分表用）",
          zhijia_only=True),
    Field("contract_satisfied", "集体合同履约情况测评：满意人数", "int", zhijia_only=True),
    Field("incidents", "近三年职工群体事件和重大安全责任事故", "events", "“无”，或“2020-05-01 事件说明；…”", parent=True),
    Field("safety_accidents", "近三年其他安全生产责任事故（重大事故以外）", "events",
          "重庆市模范的否决条件不限于重大事故；“无”，或“2020-05-01 事故说明；…”", parent=True),
    Field("other_veto", "其他不宜申报的原因", "text", "“无”或说明", parent=True, xiaojia_own=True),
    Field("titles", "已获荣誉称号", "events", "“无”，或“2018-12-20 合格职工之家；…”"),
    Field("achievements", "主要先进事迹", "text", "小家登记表用，400字以内"),
    Field("target_grade", "申报层级", "grade", "先进、重庆市模范 …"),
)
PARENT_PREFIX = "parent."
PARENT_UNIT = PARENT_PREFIX + "unit"
PARENT_FIELDS: tuple[Field, ...] = (
    Field(PARENT_UNIT, "上级工会名称", "text", "小家所属的基层工会"),
    *(replace(f, key=PARENT_PREFIX + f.key, label=f"上级工会：{f.label}", xiaojia_label="", parent=False,
              negative=f"上级工会：{f.negative}" if f.negative else "")
      for f in FIELDS if f.parent),
)
