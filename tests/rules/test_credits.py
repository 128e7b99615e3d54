"""Captions, credits and copyright notices glued anywhere into a body are cut, each cut an audited edit."""

import pytest

from corpus.params import CleanParams
from corpus.rules import Draft
from corpus.stages.clean import apply_steps, resolve_steps

STEPS = resolve_steps(CleanParams().steps)


def _clean(text, **fields):
    return apply_steps(Draft(text=text, **fields), STEPS)


def test_a_caption_with_its_date_email_and_credit_glued_before_the_byline_is_cut_and_the_article_kept():
    raw = ("[서울=뉴시스] 김근수 기자 = 삼성생명 임직원들이 5일 서울 중구 본사에서 기념사진을 찍고 있다. "
           "2026.02.05. photo@newsis.com *재판매 및 DB 금지[서울=뉴시스]권안나 기자 = "
           "삼성생명이 5일 사회공헌 활동을 했다고 밝혔다. 이번 행사는 임직원이 참여했다.")
    draft, edits = _clean(raw)
    assert draft.text == "삼성생명이 5일 사회공헌 활동을 했다고 밝혔다. 이번 행사는 임직원이 참여했다."
    # the article's reporter, not the photographer's
    assert (draft.publisher, draft.reporters) == ("뉴시스", ("권안나",))
    [caption] = next(e for e in edits if e["rule"] == "credits_v1")["spans"]
    assert raw[caption["start"] : caption["end"]].endswith("*재판매 및 DB 금지")


def test_a_photo_credit_glued_to_a_bracketed_byline_is_cut():
    draft, _ = _clean("케이뱅크 관계자가 발표하고 있다. ⓒ케이뱅크[데일리안 = 손지연 기자] "
                      "세 번째 인터넷은행이 출범한다. 케이뱅크는 밝혔다.")
    assert draft.text == "세 번째 인터넷은행이 출범한다. 케이뱅크는 밝혔다."
    assert (draft.publisher, draft.reporters) == ("데일리안", ("손지연",))


def test_a_copyright_notice_after_the_last_sentence_is_cut_and_names_the_outlet():
    draft, _ = _clean("정부가 5일 대책을 발표했다. 시장이 반응했다. hong@yna.co.kr/<저작권자 ⓒ 1980-2026 ㈜연합뉴스. "
                      "무단 전재 재배포 금지, AI 학습 및 활용 금지>")
    assert draft.text == "정부가 5일 대책을 발표했다. 시장이 반응했다."
    assert draft.publisher == "연합뉴스"


def test_promotion_links_and_a_notice_trailing_the_text_are_cut():
    draft, _ = _clean("신고하면 된다.☞공감언론 뉴시스 kjh6685@newsis.com▶ 네이버에서 뉴시스 구독하기"
                      "▶ 주가시세표 바로가기<ⓒ 공감언론 뉴시스통신사. 무단전재-재배포 금지>")
    assert draft.text == "신고하면 된다."


def test_a_deck_before_the_byline_is_kept_as_its_own_paragraph_and_the_byline_read():
    draft, _ = _clean("이번 호우로 농작물 2만90㏊ 침수[이데일리 박지애 기자] 지난 16일부터 집중호우가 이어졌다."
                      "충남의 한 비닐하우스(사진=연합뉴스)농경지는 물을 빼야 한다.")
    deck, body = draft.text.split("\n\n")
    assert deck == "이번 호우로 농작물 2만90㏊ 침수"
    assert body == "지난 16일부터 집중호우가 이어졌다. 충남의 한 비닐하우스 농경지는 물을 빼야 한다."
    assert (draft.publisher, draft.reporters) == ("이데일리", ("박지애",))


@pytest.mark.parametrize("raw", [
    "사업을 한다고 밝혔다. 무단전재 및 재배포금지",
    "사업을 한다고 밝혔다. Copyright ⓒ TV서울. All rights reserved.",
    "사업을 한다고 밝혔다.\n저작권자 © 뉴스21 무단전재 및 재배포 금지",
])
def test_the_sentence_a_notice_is_glued_to_survives(raw):
    assert _clean(raw)[0].text == "사업을 한다고 밝혔다."


def test_a_notice_on_a_line_of_its_own_names_the_outlet_when_nothing_else_did():
    assert _clean("사업을 한다고 밝혔다.\n저작권자 © 뉴스21 무단전재 및 재배포 금지")[0].publisher == "뉴스21"
    assert _clean("사업을 한다고 밝혔다. Copyrightsⓒ PRESSian.com 무단전재")[0].publisher is None  # a domain: no name


def test_a_source_trailer_is_cut_and_names_the_publisher():
    draft, _ = _clean("정부는 계획을 밝혔다.  [출처] 대한민국 정책브리핑(www.korea.kr)")
    assert (draft.text, draft.publisher) == ("정부는 계획을 밝혔다.", "대한민국 정책브리핑")


def test_a_reporter_s_e_mail_left_alone_on_its_own_line_does_not_survive_as_a_masked_paragraph():
    draft, _ = _clean("신청하면 된다.\n\nhong@example.com\n\n이영희 기자")
    assert draft.text == "신청하면 된다." and draft.reporters == ("이영희",)
