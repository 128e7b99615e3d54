"""byline_v2: bylines read and cut at the opening, inside the body and at the close; reporters are names."""

import pytest

from corpus.rules import Draft
from corpus.rules.byline import byline_v1, byline_v2


@pytest.mark.parametrize(("text", "publisher", "reporters", "rest"), [
    ("【서울=뉴시스】하종민 기자 = 유안타증권은 25일 전망했다.", "뉴시스", ("하종민",), "유안타증권은 25일 전망했다."),
    ("[김성수 기자(=남원)(starwater2@daum.net)]야생동물이 포착됐다.", None, ("김성수",), "야생동물이 포착됐다."),
    ("디지털데일리 이상일기자 KEB하나은행장이 다짐했다.", "디지털데일리", ("이상일",), "KEB하나은행장이 다짐했다."),
    ("[용인=뉴시스] 신정훈 박종대 기자 = 곰이 탈출했다.", "뉴시스", ("신정훈", "박종대"), "곰이 탈출했다."),
    ("[데일리안 = 손지연·홍길동 기자] 은행이 출범한다.", "데일리안", ("손지연", "홍길동"), "은행이 출범한다."),
])
def test_opening_bylines_of_real_exports(text, publisher, reporters, rest):
    draft = byline_v2(Draft(text=text))
    assert (draft.publisher, draft.reporters, draft.text) == (publisher, reporters, rest)


@pytest.mark.parametrize(("text", "reporters", "rest"), [
    ("예산을 늘리기로 했다. 신청하면 된다.\n\n이영희 기자", ("이영희",), "예산을 늘리기로 했다. 신청하면 된다."),
    ("목표 주가를 유지했다. 신동윤 기자", ("신동윤",), "목표 주가를 유지했다."),
    ("옮기고 있다.이보배 한경닷컴 객원기자 newsinfo@hankyung.com", ("이보배",), "옮기고 있다."),
    ("실체를 규명하기로 했습니다. KBS 뉴스 박성은입니다.", ("박성은",), "실체를 규명하기로 했습니다."),
])
def test_a_closing_sign_off_is_cut_and_its_reporter_kept(text, reporters, rest):
    draft = byline_v2(Draft(text=text))
    assert (draft.reporters, draft.text.rstrip()) == (reporters, rest)


def test_a_broadcast_sign_off_names_the_outlet_when_nothing_else_did():
    assert byline_v2(Draft(text="규명하기로 했습니다. KBS 뉴스 박성은입니다.")).publisher == "KBS"


def test_the_outlet_a_reporter_s_byline_names_wins_over_the_site_that_hosts_a_copy():
    draft = byline_v2(Draft(text="(서울=뉴스1) 이정준 기자 = 정부가 발표했다.", publisher="네이버 뉴스"))
    assert (draft.publisher, draft.reporters) == ("뉴스1", ("이정준",))


def test_a_bracketed_word_alone_does_not_override_the_page_s_publisher():
    draft = byline_v2(Draft(text="[이슈분석] 정부가 발표했다.", publisher="TV서울"))
    assert draft.publisher == "TV서울"


def test_a_dateline_byline_mid_text_is_cut_leaving_a_paragraph_break():
    draft = byline_v2(Draft(text="정부가 발표했다. [서울=뉴시스]홍길동 기자 = 시장이 반응했다.", publisher="뉴시스",
                            reporters=("김철수",)))
    assert draft.text.split("\n") == ["정부가 발표했다. ", " 시장이 반응했다."] and draft.reporters == ("김철수",)


def test_byline_v1_keeps_its_behaviour():
    draft = byline_v1(Draft(text="【서울=뉴시스】하종민 기자 = 유안타증권은 전망했다."))
    assert draft.text.startswith("【서울=뉴시스】")  # v1 never knew 【】: a change of behaviour is byline_v2
