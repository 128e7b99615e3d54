"""The planted language set: Korean news (the seeds' sentences), Hanja-heavy Korean, Korean quoting English,
and English, Chinese and Japanese news prose, at the lengths the corpus holds (snippets to full articles).

The foreign sentences are written for this benchmark (news-register prose on the seeds' topics), so no
other corpus is copied; the Hanja-heavy Korean rewrites the seeds' Sino-Korean words in Hanja, as older
papers and headlines print them. Deterministic for a given seed.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from benchmarks.synthetic import seed_sentences

ENGLISH = (
    "The city government signed an agreement with the venture business association on Tuesday.",
    "Officials said the new artificial intelligence center would open in the spring of next year.",
    "The ministry announced that exports of semiconductors rose for the fifth consecutive month.",
    "Residents complained that the bus routes had been cut without any public hearing.",
    "The central bank kept its benchmark interest rate unchanged, citing uncertainty abroad.",
    "Police arrested two men suspected of running an illegal gambling website from overseas.",
    "The opposition party called for an independent investigation into the procurement deal.",
    "Prices of fresh vegetables climbed sharply after weeks of heavy rain in the southern provinces.",
    "The festival drew more than two hundred thousand visitors over the long holiday weekend.",
    "Analysts expect the company to report its strongest quarterly profit in three years.",
    "Teachers' unions urged the education office to reduce class sizes in rural schools.",
    "The court sentenced the former mayor to two years in prison for accepting bribes.",
    "Hospitals in the region reported a rise in patients with respiratory infections this winter.",
    "The national team will face Japan in the final on Sunday evening in Seoul.",
    "Farmers said the drought had reduced the rice harvest by nearly a fifth.",
    "A spokesperson for the provincial office said the budget would be finalized by December.",
    "Startups in the technology park received more than forty billion won in funding last year.",
    "The fire broke out in a warehouse early in the morning and was put out within two hours.",
    "Lawmakers passed a bill that expands childcare support for working parents.",
    "The weather agency forecast snow for most of the central region through Thursday.",
)
CHINESE = (
    "市政府周二与风险企业协会签署了合作协议。",
    "官员表示，新的人工智能中心将于明年春季开放。",
    "商务部宣布，半导体出口连续第五个月增长。",
    "居民抱怨公交线路在没有举行听证会的情况下被削减。",
    "中央银行维持基准利率不变，理由是海外不确定性增加。",
    "警方逮捕了两名涉嫌在海外经营非法赌博网站的男子。",
    "反对党要求对这笔采购交易进行独立调查。",
    "南方各省连续数周暴雨后，新鲜蔬菜价格大幅上涨。",
    "长假期间，这个节日吸引了超过二十万名游客。",
    "分析人士预计，该公司将公布三年来最好的季度利润。",
    "教师工会敦促教育部门缩小农村学校的班级规模。",
    "法院以受贿罪判处前市长两年有期徒刑。",
    "该地区医院报告说，今年冬季呼吸道感染患者有所增加。",
    "国家队将于周日晚上在首尔的决赛中迎战日本队。",
    "农民们说，干旱使水稻产量减少了近五分之一。",
    "省政府发言人表示，预算将在十二月前确定。",
    "科技园区的初创企业去年获得了超过四百亿韩元的投资。",
    "火灾于清晨在一座仓库发生，两小时内被扑灭。",
    "立法机构通过了一项扩大对双职工家庭育儿支持的法案。",
    "气象部门预报，本周四之前中部大部分地区将有降雪。",
)
JAPANESE = (
    "市は火曜日、ベンチャー企業協会と協力協定を結んだ。",
    "当局者によると、新しい人工知能センターは来年春に開設される予定だという。",
    "経済産業省は、半導体の輸出が五か月連続で増加したと発表した。",
    "住民らは、公聴会も開かれないままバス路線が削減されたと不満を述べた。",
    "中央銀行は海外の不確実性を理由に、政策金利を据え置いた。",
    "警察は、海外から違法な賭博サイトを運営していた疑いで男二人を逮捕した。",
    "野党は、調達契約をめぐる独立した調査を求めている。",
    "南部の各県で数週間にわたって大雨が続いた後、野菜の価格が急騰した。",
    "連休中、この祭りには二十万人を超える観光客が訪れた。",
    "アナリストは、同社が三年ぶりの好決算を発表すると予想している。",
    "教職員組合は、農村の学校の学級規模を縮小するよう教育委員会に求めた。",
    "裁判所は、収賄の罪で前市長に懲役二年の判決を言い渡した。",
    "この地域の病院では、今冬、呼吸器感染症の患者が増えているという。",
    "日本代表は日曜日の夜、ソウルで行われる決勝で韓国と対戦する。",
    "農家によると、干ばつのためコメの収穫量が約二割減ったという。",
    "県の報道官は、予算は十二月までに確定すると述べた。",
    "テクノロジーパークの新興企業は昨年、四百億ウォン以上の資金を調達した。",
    "火災は早朝に倉庫で発生し、二時間以内に消し止められた。",
    "国会は、共働き世帯への育児支援を拡大する法案を可決した。",
    "気象庁は、木曜日にかけて中部の大部分で雪が降ると予報した。",
)
# Sino-Korean words of the seeds and their Hanja, as older papers and headlines print them.
HANJA = {
    "정부": "政府", "국회": "國會", "대통령": "大統領", "경제": "經濟", "한국": "韓國", "북한": "北韓", "미국": "美國",
    "중국": "中國", "일본": "日本", "시장": "市場", "기업": "企業", "사회": "社會", "문제": "問題", "지역": "地域",
    "교육": "敎育", "발표": "發表", "계획": "計劃", "사업": "事業", "지원": "支援", "협약": "協約", "산업": "産業",
    "기술": "技術", "도시": "都市", "위원회": "委員會", "장관": "長官", "의원": "議員", "예산": "豫算", "정책": "政策",
    "개발": "開發", "투자": "投資", "협력": "協力", "대표": "代表", "관계자": "關係者", "주민": "住民", "행정": "行政",
    "인공지능": "人工知能", "추진": "推進", "조성": "造成", "운영": "運營", "확대": "擴大", "강화": "强化",
    "광주": "光州", "부산": "釜山", "선거": "選擧", "국민": "國民", "문화": "文化", "행사": "行事",
    "개최": "開催", "참석": "參席", "진행": "進行", "예정": "豫定", "관련": "關聯", "통해": "通해", "위해": "爲해",
    "기자": "記者", "시민": "市民", "세계": "世界", "국가": "國家", "공공": "公共", "안전": "安全", "환경": "環境",
}
# Mixed script as 國漢文混用 prints it: the Sino-Korean words in Hanja, endings and particles in Hangul.
MIXED_SCRIPT = (
    "政府는 來年度 豫算案을 國會에 提出하고 經濟 活性化 方案을 發表했다.",
    "光州市는 人工知能 産業 育成을 爲해 中小企業 支援 事業을 大幅 擴大한다.",
    "國會 法制司法委員會는 昨日 全體會議를 열고 關聯 法案을 議決했다.",
    "北韓은 今年 들어 세 番째 彈道 미사일을 東海上으로 發射했다.",
    "韓國銀行은 基準金利를 年 3.5%로 凍結하고 物價 上昇 壓力을 注視하겠다고 밝혔다.",
    "大統領은 新年 記者會見에서 國民 統合과 地域 均衡 發展을 强調했다.",
    "敎育部는 大學 入試 制度 改編案을 發表하고 公聽會를 開催할 豫定이다.",
    "國土交通部 長官은 首都圈 住宅 供給 對策을 年內에 確定하겠다고 말했다.",
    "市民團體들은 環境 汚染 問題에 對한 政府의 責任 있는 對應을 促求했다.",
    "中國과 日本 兩國 外交 長官이 서울에서 會談을 갖고 協力 方案을 論議했다.",
)
ENGLISH_QUOTES = ("\"We will do our best,\" he said.", "The slogan read \"Smart City, Better Life\".",
                  "According to the report, \"the market will recover by 2026\".")


@dataclass(frozen=True)
class Sample:
    kind: str  # korean, hanja_korean, mixed_script_korean, korean_quoting_english, english, chinese, japanese
    language: str  # ko, en, zh, ja: the truth
    text: str


LENGTHS = (120, 300, 800, 2_400)  # characters: a snippet, a short item, an article, a long article


def _compose(rng: random.Random, sentences: tuple[str, ...] | list[str], chars: int, joiner: str) -> str:
    body: list[str] = []
    while sum(map(len, body)) < chars:
        body.append(rng.choice(sentences))
    return joiner.join(body)


def hanja_heavy(text: str) -> str:
    for word, hanja in HANJA.items():
        text = text.replace(word, hanja)
    return text


def planted_set(per_kind: int = 400, seed: int = 27) -> list[Sample]:
    """`per_kind` samples of each kind, their lengths cycling through LENGTHS."""
    rng = random.Random(seed)
    korean = seed_sentences()
    hanja_sentences = [*map(hanja_heavy, korean), *MIXED_SCRIPT * 20]
    samples = []
    for i in range(per_kind):
        chars = LENGTHS[i % len(LENGTHS)]
        samples += [
            Sample("korean", "ko", _compose(rng, korean, chars, " ")),
            Sample("hanja_korean", "ko", _compose(rng, hanja_sentences, chars, " ")),
            Sample("mixed_script_korean", "ko", _compose(rng, MIXED_SCRIPT, chars, " ")),
            Sample("korean_quoting_english", "ko",
                   _compose(rng, korean, chars, " ") + " " + rng.choice(ENGLISH_QUOTES)),
            Sample("english", "en", _compose(rng, ENGLISH, chars, " ")),
            Sample("chinese", "zh", _compose(rng, CHINESE, chars // 2, "")),
            Sample("japanese", "ja", _compose(rng, JAPANESE, chars // 2, "")),
        ]
    return samples
