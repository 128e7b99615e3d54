import pytest

from corpus.rules.boilerplate import boilerplate_v1, is_boilerplate_line


@pytest.mark.parametrize("line", [
    "기사 메일전송", "기사수정", "  • 목록 바로가기", "  • 인쇄",
    "이전 기사 보기 다음 기사 보기", "가장 많이 본 뉴스더보기",
    "MORE NEWS", "기상청 제공", "  • 구름많음대전 -0.3℃", "▲ 벤처기업협회 업무협약식", "▶ 관련기사 더 보기",
    "저작권자 © 뉴스21 무단전재 및 재배포 금지", "Copyright ⓒ TV서울. All rights reserved.",
    "기사문의 및 제보 : 카카오톡", "#광주 #인공지능 #AI", "모바일 버전 바로가기",
])
def test_page_furniture_lines_are_boilerplate(line):
    assert is_boilerplate_line(line)


@pytest.mark.parametrize("line", [
    "광주시는 벤처기업협회와 협력 모델을 만들어 인공지능 집적단지를 활용할 계획이다.",
    "주요 협약 내용은 ▲잠재력이 높은 인공지능 기업 발굴 ▲기반시설 활용 협력이다.",
    "인쇄업계는 올해 매출이 늘었다고 밝혔다.",
])
def test_article_sentences_are_not_boilerplate(line):
    assert not is_boilerplate_line(line)


def test_inline_photo_credit_and_email_tail_are_removed():
    text = "협약식이 열렸다.(사진=광주시 제공)\n많은 관심 바랍니다. 홍길동 기자 hong@news.kr"
    assert boilerplate_v1(text) == "협약식이 열렸다.\n많은 관심 바랍니다."
