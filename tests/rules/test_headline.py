from corpus.rules import Draft
from corpus.rules.headline import headline_v1


def test_a_first_paragraph_repeating_the_headline_is_dropped():
    draft = headline_v1(Draft(text="\"비상상황 조작vs정당 자율성\"...'이준석 가처분' 날선 공방\n본문이 시작된다.",
                              title="“비상상황 조작vs정당 자율성”…'이준석 가처분' 날선 공방"))
    assert draft.text == "\n본문이 시작된다."


def test_a_first_paragraph_that_only_resembles_the_headline_stays():
    text = "광주시가 벤처기업협회와 손잡고 실증도시 조성에 박차를 가한다.\n본문이 이어진다."
    assert headline_v1(Draft(text=text, title="광주시, 벤처기업협회와 손잡고")).text == text


def test_a_text_that_is_only_the_headline_is_left_for_the_quality_gate():
    assert headline_v1(Draft(text="제목", title="제목")).text == "제목"
