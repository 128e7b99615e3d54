import pytest

from corpus.fields.reporters import reporter_names


@pytest.mark.parametrize(("values", "outlets", "names"), [
    (["서울=이정준 기자"], [], ("이정준",)),  # a dateline prefix is not a name
    (["뉴스1 | 네이버"], ["네이버 뉴스"], ()),  # an outlet and a portal, no person
    (["홍길동 기자 hong@example.com"], [], ("홍길동",)),
    (["김철수·이영희 기자"], [], ("김철수", "이영희")),
    (["세종뉴스 한지민 기자; 입력"], [], ("한지민",)),
    (["TV서울 심현주 기자"], [], ("심현주",)),
    (["순천, 광양 구현모 기자 ninek@hankookilbo.com"], [], ("구현모",)),  # places beside a titled name
    (["박준석 기자 외 1명"], [], ("박준석",)),
    (["연합뉴스"], [], ()),
    (["John Smith"], [], ("John Smith",)),
    (["홍길동", "홍길동 기자"], [], ("홍길동",)),
])
def test_reporters_are_names_only(values, outlets, names):
    assert reporter_names(values, outlets) == names
