"""The unit profile form (单位简况) in the TUI: reached from the dashboard and the palette, rates
shown as numbers are typed, only changed fields saved through ``profile.set_facts`` (audited),
refused values kept with the core's Chinese sentence, and a view only for inspectors."""

from __future__ import annotations

import pytest
from textual.widgets import Input, Select, Static

from jiaarchive import audit
from jiaarchive.coverage import profile
from jiaarchive.tui import make_app
from jiaarchive.tui.dashboard import DashboardScreen
from jiaarchive.tui.dialogs import ConfirmModal
from jiaarchive.tui.profile import GROUPS, ProfileScreen

from .helpers import TUI_UNIT
from .test_tui import footer_actions, run_async, settle

UNIT = TUI_UNIT


pytestmark = pytest.mark.usefixtures("fixed_clock")


@pytest.fixture
def make_archive(new_archive):
    """Factory: an empty 事业单位 archive, optionally with profile facts, optionally read-only."""

    def make(facts: dict[str, str] | None = None, *, read_only: bool = False):
        return new_archive((lambda arch: profile.set_facts(arch, facts)) if facts else None, read_only=read_only)

    return make


def profile_entries(arch) -> list:
    with arch.session() as s:
        return [e for e in audit.read(s) if e.action == "profile"]


def note(screen: ProfileScreen, key: str) -> str:
    return str(screen.query_one(f"#note-{key}", Static).render())


def rates(screen: ProfileScreen) -> str:
    return str(screen.query_one("#profile-rates", Static).render())


async def open_from_dashboard(pilot) -> ProfileScreen:
    await settle(pilot)
    await pilot.press("c")
    await settle(pilot)
    assert isinstance(pilot.app.screen, DashboardScreen)
    await pilot.press("f")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ProfileScreen)
    return screen


def test_groups_hold_every_field_once() -> None:
    keys = [k for _, ks in GROUPS for k in ks]
    assert sorted(keys) == sorted(f.key for f in profile.FIELDS)
    assert len(keys) == len(set(keys))


def test_rates_come_from_the_core() -> None:
    assert profile.membership_rate(160, 158) == pytest.approx(98.75)
    assert profile.membership_rate(0, 0) is None and profile.membership_rate(160, None) is None
    assert profile.satisfaction_rate(80, 12, 8) == pytest.approx(92.0)
    assert profile.satisfaction_rate(80, 12, 8, count_basically_satisfied=False) == pytest.approx(80.0)
    assert profile.satisfaction_rate(0, 0, 0) is None and profile.satisfaction_rate(1, None, 0) is None


@run_async
async def test_edit_from_dashboard_shows_rates_saves_and_audits(make_archive) -> None:
    arch = make_archive({"chair": "张三"})
    before = len(profile_entries(arch))
    app = make_app(arch)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_from_dashboard(pilot)
        dashboard = app.screen_stack[-2]
        assert dashboard.report is not None and dashboard.report.membership_rate is None
        assert screen.query_one("#value-chair", Input).value == "张三"
        assert "—" in rates(screen)
        # focus starts on 职工总数; Tab goes on to 会员总数
        assert app.focused is screen.query_one("#value-employees", Input)
        await pilot.press(*"160", "tab", *"158")
        await pilot.pause()
        assert screen.query_one("#value-members", Input).value == "158"
        assert "入会率 98.8%（158/160）" in rates(screen)
        for key, value in (("ballots_satisfied", "80"), ("ballots_basically_satisfied", "12"), ("ballots_dissatisfied", "8")):
            screen.query_one(f"#value-{key}", Input).value = value
        screen.query_one("#value-funds_committee", Select).value = "是"
        await pilot.pause()
        assert "评家满意度 92.0%" in rates(screen) and "计入满意，共 100 票" in rates(screen)
        assert set(screen.changes()) == {"employees", "members", "ballots_satisfied", "ballots_basically_satisfied",
                                         "ballots_dissatisfied", "funds_committee"}
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is dashboard
        # the dashboard recomputed its vetoes with the new profile
        assert dashboard.report.membership_rate == pytest.approx(98.75)
        assert dashboard.report.satisfaction_rate == pytest.approx(92.0)
    prof = profile.read(arch)
    assert (prof.get("employees"), prof.get("members"), prof.get("funds_committee")) == (160, 158, True)
    assert prof.get("chair") == "张三"
    entries = profile_entries(arch)
    assert len(entries) == before + 1
    # only the changed fields were sent (张三 was not rewritten)
    assert entries[0].after == {"employees": 160, "members": 158, "ballots_satisfied": 80,
                                "ballots_basically_satisfied": 12, "ballots_dissatisfied": 8, "funds_committee": True}


@run_async
async def test_refused_values_keep_the_form_and_save_nothing(make_archive) -> None:
    arch = make_archive({"employees": "100", "members": "90"})
    before = len(profile_entries(arch))
    app = make_app(arch)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        # from the browse screen's palette
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*"修改单位简况")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ProfileScreen)
        assert screen.query_one("#value-members", Input).value == "90"
        # members above employees: refused by set_facts with its own sentence, next to both fields
        screen.query_one("#value-members", Input).value = "120"
        screen.query_one("#value-chair", Input).value = "李四"
        await pilot.pause()
        assert "120.0%" in rates(screen)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        message = "会员总数（120）不能大于职工总数（100）。"
        assert note(screen, "members") == message and note(screen, "employees") == message
        assert message in str(screen.query_one("#profile-status", Static).render())
        assert screen.query_one("#value-members", Input).value == "120"
        assert screen.query_one("#value-chair", Input).value == "李四"
        # a negative count and a date that does not exist: every bad field marked, nothing sent
        screen.query_one("#value-members", Input).value = "80"
        screen.query_one("#value-branches", Input).value = "-3"
        screen.query_one("#value-elected_on", Input).value = "2020-02-30"
        await pilot.pause()
        assert note(screen, "members") == ""  # corrected: the old error goes
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        assert note(screen, "branches") == "分工会数不能为负数（现为 -3）。"
        assert "不存在" in note(screen, "elected_on")
        assert "有 2 项填写有误" in str(screen.query_one("#profile-status", Static).render())
        # leaving with unsaved changes asks first
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("n")
        await settle(pilot)
        assert app.screen is screen and screen.query_one("#value-chair", Input).value == "李四"
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert app.screen.id == "browse"
    prof = profile.read(arch)
    assert (prof.get("employees"), prof.get("members"), prof.get("chair")) == (100, 90, None)
    assert len(profile_entries(arch)) == before


@run_async
async def test_inspector_sees_the_profile_but_cannot_save(make_archive) -> None:
    arch = make_archive({"employees": "100", "members": "95", "funds_committee": "否"}, read_only=True)
    before = len(profile_entries(arch))
    app = make_app(arch)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_from_dashboard(pilot)
        assert not screen.query(Input) and not screen.query(Select)
        assert str(screen.query_one("#value-employees", Static).render()) == "100"
        assert str(screen.query_one("#value-funds_committee", Static).render()) == "否"
        assert str(screen.query_one("#value-chair", Static).render()) == "（未填）"
        assert "入会率 95.0%" in rates(screen)
        assert "save" not in footer_actions(app)
        names = [c.title for c in app.get_system_commands(screen)]
        assert "简况: 保存单位简况" not in names
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        await pilot.press("escape")  # nothing can change, so nothing to confirm
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
    assert len(profile_entries(arch)) == before


@run_async
async def test_xiaojia_keeps_its_parent_unions_facts_and_imports_them(tmp_path) -> None:
    """A 小家 is not asked for its 基层工会's committees or 职代会: they are the parent's, in a group
    of their own, imported from the parent's archive with Ctrl+O; the rates are the parent's."""
    from jiaarchive.archive import init_archive

    from .coverage_scenarios import PASSING

    parent = init_archive(tmp_path / "基层工会", unit="示例中学工会", unit_type="事业单位")
    profile.set_facts(parent, {**PASSING, "employees": "160", "members": "158"})
    parent.close()
    arch = init_archive(tmp_path / "小家", unit=UNIT, unit_type="事业单位", level="小家")
    try:
        app = make_app(arch)
        async with app.run_test(size=(100, 30)) as pilot:
            screen = await open_from_dashboard(pilot)
            labels = [str(w.render()) for w in screen.query(".profile-group")]
            assert labels[-1] == "上级工会（基层工会）" and "制度" not in labels
            assert not screen.query("#value-funds_committee") and screen.query("#value-parent--funds_committee")
            assert "上级工会入会率 —" in rates(screen)
            await pilot.press("ctrl+o")
            await settle(pilot)
            await pilot.press(*str(tmp_path / "基层工会"), "enter")
            await settle(pilot)
            assert app.screen is screen
            assert screen.query_one("#value-parent--members", Input).value == "158"
            assert screen.query_one("#value-parent--unit", Input).value == "示例中学工会"
            assert "上级工会入会率 98.8%（158/160）" in rates(screen)
            assert not screen.dirty  # imported and saved, nothing pending
        prof = profile.read(arch)
        assert prof.get("parent.funds_committee") is True and prof.get("funds_committee") is None
    finally:
        arch.close()
