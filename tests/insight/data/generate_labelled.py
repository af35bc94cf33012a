"""Builds the labelled test set ``labelled_answers.csv`` and synthetic benchmark sets.

All text is fictional and original: short answers of city staff and citizens to
「DXとは何だと思いますか」 / 「市のデジタルサービスについてのご意見」, over 13 themes.

Answers come from two sources per theme:

* hand-written complete answers (varied, some very short, some with typos), and
* template answers: a theme clause (a paraphrase, with synonyms such as 電子申請 /
  オンライン申請 / ネット申請) placed in a frame shared by all themes (「DXとは…ことだと思います」),
  so that every theme shares the frame vocabulary, as real survey answers do.

Then surface variation is applied to some answers (full-width ＤＸ, half-width ﾃﾞｼﾞﾀﾙ,
hiragana spellings, typos, spaces, emoji), and near-duplicates are added: light edits of
an existing answer (punctuation, width, a typo, an emoji) plus two bulk submissions (the
same answer sent many times). Each near-duplicate's ``duplicate_of`` names the answer it
copies; a template answer too close to an existing, unrelated one is rejected so that
"not marked" really means "not a copy".

Run ``python tests/insight/data/generate_labelled.py`` to rewrite the CSV; the committed
CSV is what the tests use. :func:`synthetic_rows` reuses the same machinery for the
benchmark (with attribute columns and no distinctness check).
"""

from __future__ import annotations

import csv
import random
import sys
import unicodedata
from pathlib import Path

HERE = Path(__file__).resolve().parent
CSV_PATH = HERE / "labelled_answers.csv"
SEED = 20261127

# theme key -> (weight, clauses in plain form, hand-written answers)
THEMES: dict[str, tuple[int, list[str], list[str]]] = {
    "online_application": (
        5,
        [
            "窓口に行かなくてもスマホで申請できる",
            "住民票や証明書をオンラインで請求できる",
            "電子申請でいつでも手続きが完了する",
            "役所に来なくても家から手続きが済む",
            "24時間ネットで申し込みができる",
            "紙の申請書を書かずにウェブで届出ができる",
            "マイナンバーカードで本人確認して電子申請できる",
            "子育ての手続きをオンライン化する",
            "引っ越しの届出をインターネットで済ませられる",
            "施設予約や各種申し込みをネット上で完結させる",
            "オンライン手続の種類を増やす",
            "休日でも自宅から申し込める",
        ],
        [
            "平日に休みを取らずに手続きできるのが一番ありがたい",
            "電子申請の画面が分かりにくいので改善してほしい",
            "保育園の申込みがスマホでできて本当に助かりました",
            "オンライン申請、もっと増やして！",
            "確定申告みたいに市の手続きも全部ネットでできればいい",
            "わざわざ市役所まで行かなくていい社会",
            "ｵﾝﾗｲﾝで完結する手続きを増やすこと",
            "夜中でも申し込めるのが便利",
            "電子申請の拡大",
            "ネットで申し込みできるようにする事",
            "仕事帰りでもスマホで届出が出せる市役所",
            "申請は全部オンラインでいいと思う",
        ],
    ),
    "paperless": (
        4,
        [
            "紙の書類をなくす",
            "会議資料を電子化してタブレットで見る",
            "押印を廃止して決裁を電子化する",
            "印刷やコピーを減らす",
            "書類の保管場所をなくしてファイルをクラウドで共有する",
            "ハンコ文化をやめる",
            "紙の台帳をデータに置き換える",
            "紙の回覧をやめる",
            "電子決裁を徹底する",
            "FAXを廃止する",
            "紙を前提とした事務をなくす",
        ],
        [
            "ペーパーレス化。紙が多すぎる",
            "毎回会議で何十枚も印刷するのはもうやめたい",
            "はんこを押すためだけに出勤するのはおかしい",
            "ﾍﾟｰﾊﾟｰﾚｽ",
            "書庫がいっぱいで、紙の文書を探すのに時間がかかる",
            "FAXがいまだに現役なのは驚き",
            "電子決裁になれば課長がいなくても回る",
            "ぺーぱーれすで紙を減らす！",
            "コピー用紙を使わない役所",
            "紙で出して紙で受け取る仕事を変えること",
            "タブレットで資料を見られれば持ち運びも楽",
            "押印廃止と電子契約",
        ],
    ),
    "efficiency": (
        5,
        [
            "単純作業を自動化して職員の負担を減らす",
            "RPAで入力作業を自動化する",
            "残業を減らせるように事務を効率化する",
            "手作業の集計をシステムに任せる",
            "同じ情報を何度も入力する二重入力をなくす",
            "業務の手順を見直してムダをなくす",
            "AIを使って定型業務を省力化する",
            "作業時間を短縮して本来の仕事に集中する",
            "エクセルの手作業をなくす",
            "問い合わせ対応をチャットボットに任せる",
        ],
        [
            "業務効率化",
            "職員が楽になること。その分を住民サービスに回す",
            "毎月の集計作業に丸二日かかっているのを何とかしたい",
            "人が減るなかで仕事を回すには効率化しかない",
            "RPAとかAIで単純作業を減らす",
            "ぎょうむのこうりつか",
            "無駄な作業を減らして早く帰れるようにする",
            "転記ミスがなくなるだけでもかなり違う",
            "定型的な仕事は機械に任せて、人は考える仕事をする",
            "生成AIで議事録や文書作成を早くする",
            "職員の事務負担を軽くすること",
        ],
    ),
    "data_utilization": (
        4,
        [
            "データに基づいて政策を決める",
            "勘や経験ではなく数字で判断する",
            "統計データを分析して施策に生かす",
            "オープンデータを公開して民間にも使ってもらう",
            "部署ごとに持っているデータを共有して連携させる",
            "証拠に基づく政策立案を進める",
            "人流データを使ってまちづくりを考える",
            "ダッシュボードで状況を見える化する",
            "住民のニーズをデータで把握する",
            "事業の効果をデータで検証する",
        ],
        [
            "EBPMの推進",
            "データ活用。感覚ではなくエビデンスで語る",
            "各課のデータがバラバラで使えないのが問題",
            "オープンデータをもっと出してほしい",
            "集めたデータを分析できる人がいない",
            "データをちゃんと使って、効果のない事業はやめる",
            "見える化して議論の材料にすること",
            "でーたかつよう",
            "バス路線の見直しに乗降データを使ってほしい",
            "地図上に情報を重ねて防災に役立てる",
            "数字で根拠を示せる行政",
        ],
    ),
    "counter_reform": (
        4,
        [
            "書かない窓口を実現する",
            "窓口での待ち時間を減らす",
            "窓口をワンストップにしてたらい回しをなくす",
            "来庁者が申請書を何枚も書かなくて済む",
            "窓口の予約ができて待たされない",
            "手続きごとに違う課を回らなくていい",
            "窓口で職員が聞き取りながらタブレットに入力する",
            "転入のときの手続きを一か所でまとめて済ませる",
            "番号札と呼び出しの仕組みを改善する",
            "窓口の混雑状況をネットで確認できる",
        ],
        [
            "市民課の窓口で一時間待たされた。あれをなくしてほしい",
            "書かない窓口",
            "何度も名前と住所を書かされるのがつらい",
            "あっちの課、こっちの課と回されるのをなくすこと",
            "おくやみ窓口のように一か所で済むのがいい",
            "窓口改革です",
            "待ち時間ゼロの市役所",
            "かかない窓口、またない窓口",
            "受付で職員さんが代わりに入力してくれると助かる",
            "窓口の混み具合が分かると行く時間を選べる",
        ],
    ),
    "digital_divide": (
        4,
        [
            "高齢者や障害のある人も取り残さない",
            "スマホを使えない人への支援を続ける",
            "デジタルが苦手な人にも紙や対面の手段を残す",
            "誰でも使える分かりやすい画面にする",
            "高齢者向けのスマホ教室を開く",
            "情報格差を広げない",
            "ネット環境がない家庭にも配慮する",
            "外国人や子どもにも使いやすい仕組みにする",
            "使い方を教えるサポーターを地域に置く",
        ],
        [
            "うちの母はスマホを持っていないので、窓口は残してほしい",
            "デジタルデバイド対策",
            "誰一人取り残されないデジタル化",
            "お年寄りには難しすぎる。置いていかないで",
            "ﾃﾞｼﾞﾀﾙが苦手な人への配慮を忘れないこと",
            "スマホ教室をもっと身近な公民館でやってほしい",
            "視覚障害があっても読み上げで使えるサイトに",
            "デジタルに慣れていない人も安心して使えること",
            "ネットがない人はどうするのか心配",
            "高齢者が多い地域なので、対面の相談も大事",
            "やさしいデジタル",
        ],
    ),
    "security": (
        4,
        [
            "個人情報をしっかり守る",
            "サイバー攻撃への対策を強化する",
            "情報漏えいを起こさない",
            "パスワードや認証の管理を徹底する",
            "不正アクセスを防ぐ仕組みを整える",
            "標的型メールへの訓練を行う",
            "マイナンバーの情報を安全に扱う",
            "バックアップを取ってシステム障害に備える",
            "クラウドの安全性を確認する",
        ],
        [
            "セキュリティが一番心配",
            "便利になっても個人情報が漏れたら意味がない",
            "ランサムウェアで病院が止まったニュースを見て不安になった",
            "せきゅりてぃ対策",
            "USBメモリの紛失事故をなくす",
            "マイナンバーカードの情報が悪用されないか不安です",
            "安心して使えるように、安全性を第一に",
            "怪しいメールを開かないように研修が必要",
            "ｾｷｭﾘﾃｨｰをちゃんとしてから進めてほしい",
            "情報を守る仕組みと、万一の時の対応",
        ],
    ),
    "hr_development": (
        4,
        [
            "デジタルに詳しい職員を育てる",
            "全職員にITの研修を行う",
            "外部の専門人材を採用する",
            "職員のITリテラシーを上げる",
            "若手とベテランが教え合う仕組みを作る",
            "デジタル推進のリーダーを各課に置く",
            "資格取得を支援して学ぶ機会を増やす",
            "民間企業との人事交流で経験を積む",
            "研修を受けた人が現場で活躍できる",
        ],
        [
            "人材育成。ツールより人",
            "分かる人が一人しかいない課が多い",
            "研修の時間をちゃんと業務として確保してほしい",
            "CIO補佐官のような専門家を呼ぶ",
            "じんざいいくせい",
            "エクセルのマクロを組める人を増やす",
            "職員が自分で学べるeラーニングを用意する",
            "デジタル人材の確保と育成",
            "異動で担当が変わるたびにノウハウが消えるのをどうにかしたい",
            "IT 研修",
        ],
    ),
    "cost_effectiveness": (
        3,
        [
            "費用に見合う効果があるかを確かめる",
            "高いシステムを入れて使われないということをなくす",
            "導入後の効果を検証して予算を見直す",
            "維持費や保守費用を抑える",
            "ベンダー任せにせず見積もりを精査する",
            "他の自治体と共同でシステムを調達してコストを下げる",
            "税金のムダ遣いにならない",
            "投資に対してどれだけ時間が削減できたかを示す",
            "小さく試してから本格導入する",
        ],
        [
            "費用対効果",
            "システムにいくら使ったのか市民に説明してほしい",
            "毎年の保守費が高すぎる",
            "お金をかけた割に便利になっていない",
            "ひようたいこうか",
            "ベンダーロックインから抜け出すこと",
            "効果の見えない投資はやめるべき",
            "コストと効果のバランス",
            "補助金があるから導入する、ではダメ",
            "安く、早く、小さく始める",
        ],
    ),
    "culture_change": (
        4,
        [
            "前例踏襲の考え方を変える",
            "失敗を恐れずに新しいことに挑戦する",
            "縦割りをなくして部署を越えて協力する",
            "上からの指示を待たずに現場から改善を提案する",
            "仕事のやり方そのものを見直す意識を持つ",
            "管理職が率先して変わる",
            "変化を楽しむ職場の雰囲気を作る",
            "今までのやり方にこだわらない",
            "職員一人ひとりの意識を変える",
        ],
        [
            "DXはデジタルの話ではなく、意識改革の話だと思う",
            "「前からこうだから」をやめること",
            "縦割り打破",
            "上の人が変わらないと何も変わらない",
            "チャレンジした人が評価される組織に",
            "そしきぶんかのへんかく",
            "ツールを入れる前に仕事の進め方を変えないといけない",
            "変わることを怖がらない市役所",
            "トップの本気度",
            "現場の声を吸い上げる仕組みと風土",
        ],
    ),
    "cashless": (
        3,
        [
            "窓口の支払いをキャッシュレスにする",
            "住民票の手数料を電子マネーで払える",
            "税金をスマホ決済で納付できる",
            "公共施設の使用料をクレジットカードで払える",
            "現金を扱う事務を減らす",
            "QRコード決済を市役所でも使える",
            "保育料や給食費をアプリで払う",
            "釣り銭の準備や現金の集計をなくす",
        ],
        [
            "キャッシュレス決済",
            "市役所でPayPayが使えたら便利",
            "現金しか使えない窓口はもう時代遅れ",
            "ｷｬｯｼｭﾚｽ",
            "税金をスマホで払えるようになって楽になった",
            "きゃっしゅれすで払える市役所",
            "手数料を交通系ICで払いたい",
            "小銭を用意しなくていい市役所",
            "納付書をコンビニに持っていくのが面倒",
            "現金の取り扱いミスや盗難のリスクが減る",
        ],
    ),
    "information": (
        3,
        [
            "市のお知らせをLINEで届ける",
            "ホームページを見やすく作り直す",
            "必要な情報をSNSで素早く発信する",
            "災害時の情報をプッシュ通知で知らせる",
            "自分に関係するお知らせだけを受け取れる",
            "広報紙をアプリでも読める",
            "検索したらすぐに欲しい情報にたどり着ける",
            "市民の声をネットで集めて返事をする",
            "子育て情報を一か所にまとめて発信する",
        ],
        [
            "市のホームページが分かりにくい。どこに何があるのか分からない",
            "LINEで通知が来ると助かる",
            "情報発信の強化",
            "広報誌を読まない若い人にも届く方法を",
            "じょうほうはっしん",
            "災害の時に正しい情報がすぐ届くこと",
            "インスタやXで市の取組をもっと知らせてほしい",
            "ごみの日をアプリで教えてくれるのが便利",
            "検索しても古いページばかり出てくる",
            "お知らせがプッシュで届く仕組み",
        ],
    ),
    "ai_automation": (
        3,
        [
            "生成AIで文書の下書きを作る",
            "AIに問い合わせの一次対応をさせる",
            "議事録を音声認識で自動作成する",
            "AIで申請書類のチェックを自動化する",
            "画像認識で道路の損傷を見つける",
            "AIの回答を職員が確認してから使う",
            "翻訳AIで外国人の相談に対応する",
            "AIを使いこなすためのルールを決める",
        ],
        [
            "ChatGPTみたいなものを安全に使えるようにしてほしい",
            "ＡＩの活用",
            "生成AIの使い方のガイドラインが必要",
            "AIに任せられることは任せる",
            "音声入力で議事録が自動でできたら最高",
            "えーあいかつよう",
            "AIの判断をうのみにしないこと",
            "道路の穴をAIで見つける取組が面白い",
        ],
    ),
}

FRAMES = [
    "DXとは{}ことだと思います。",
    "{}こと。",
    "{}ことがDXだと考えます",
    "私にとってのDXは、{}ことです。",
    "やはり{}ことが一番大事",
    "{}のが理想だと思う",
    "市民の立場からすると、{}とありがたい。",
    "{}ことではないでしょうか",
    "まずは{}ことから始めるべき",
    "ひとことで言えば{}こと",
    "{}こと、これに尽きる",
    "今後は{}ことが必要です",
    "{}ことを期待しています！",
    "DX＝{}こと",
    "{}ことが大切なのではないか。",
    "{}ことが求められていると感じる",
    "デジタル化で{}こと",
    "市役所が{}こと",
]
PREFIXES = [
    "",
    "",
    "",
    "",
    "正直、",
    "個人的には",
    "職員として、",
    "市民目線で、",
    "うーん、",
    "難しいけど、",
]
SUFFIXES = ["", "", "", "", "", "。", "！", "😊", "（以上）", "と思う。", "ですね"]

DEPARTMENTS = [
    "市民課",
    "情報政策課",
    "福祉課",
    "財政課",
    "総務課",
    "子育て支援課",
    "税務課",
    "市民",
]
ROLES = ["職員", "係長", "課長", "市民"]

# Small conversions used to vary the surface of an answer.
_HALF_KANA = {}
for _code in range(0xFF61, 0xFFA0):
    _full = unicodedata.normalize("NFKC", chr(_code))
    _HALF_KANA.setdefault(_full, chr(_code))
for _base, _half in list(_HALF_KANA.items()):
    for _mark, _half_mark in (("\u3099", "ﾞ"), ("\u309a", "ﾟ")):
        _composed = unicodedata.normalize("NFC", _base + _mark)
        if len(_composed) == 1 and _composed != _base:
            _HALF_KANA.setdefault(_composed, _half + _half_mark)


def to_half_kana(text: str) -> str:
    return "".join(_HALF_KANA.get(c, c) if "ァ" <= c <= "ヺ" or c == "ー" else c for c in text)


def to_full_alnum(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if c.isascii() and c.isalnum() else c for c in text)


def kata_to_hira(text: str) -> str:
    return "".join(chr(ord(c) - 0x60) if "ァ" <= c <= "ヶ" else c for c in text)


def _katakana_runs(text: str) -> list[tuple[int, int]]:
    runs, start = [], None
    for i, c in enumerate([*text, " "]):
        is_kata = "ァ" <= c <= "ヺ" or c == "ー"
        if is_kata and start is None:
            start = i
        elif not is_kata and start is not None:
            if i - start >= 3:
                runs.append((start, i))
            start = None
    return runs


def vary(text: str, rng: random.Random) -> str:
    """One random surface variation (width, kana, typo, spacing) of an answer."""
    choice = rng.randrange(7)
    runs = _katakana_runs(text)
    if choice == 0 and any(c.isascii() and c.isalnum() for c in text):
        return to_full_alnum(text)
    if choice == 1 and runs:
        a, b = rng.choice(runs)
        return text[:a] + to_half_kana(text[a:b]) + text[b:]
    if choice == 2 and runs:
        a, b = rng.choice(runs)
        return text[:a] + kata_to_hira(text[a:b]) + text[b:]
    if choice == 3 and len(text) > 8:
        i = rng.randrange(1, len(text) - 1)
        return text[:i] + text[i + 1 :]  # a dropped character
    if choice == 4 and len(text) > 8:
        i = rng.randrange(1, len(text) - 2)
        return text[:i] + text[i + 1] + text[i] + text[i + 2 :]  # swapped characters
    if choice == 5 and len(text) > 6:
        i = rng.randrange(2, len(text) - 2)
        return text[:i] + rng.choice(["　", " ", "、"]) + text[i:]
    return text + rng.choice(["！！", "。。", "💡", "w", "…"])


def light_edit(text: str, rng: random.Random) -> str:
    """A near-duplicate: the same answer with one or two small edits."""
    out = text
    for _ in range(rng.choice([1, 1, 2])):
        kind = rng.randrange(6)
        if kind == 0:
            out = out.rstrip("。！!") + rng.choice(["。", "！", "!!", "😊", "です。", ""])
        elif kind == 1:
            out = to_full_alnum(out) if rng.random() < 0.5 else out.replace("、", " ")
        elif kind == 2 and _katakana_runs(out):
            a, b = rng.choice(_katakana_runs(out))
            out = out[:a] + to_half_kana(out[a:b]) + out[b:]
        elif kind == 3 and len(out) > 12:
            i = rng.randrange(2, len(out) - 2)
            out = out[:i] + out[i + 1 :]
        elif kind == 4:
            out = "　" + out if rng.random() < 0.5 else out + "　"
        else:
            out = out.replace("。", "、", 1) if "。" in out else out + "。"
    if out == text:
        out = text + "。"
    return out


def template_answer(theme: str, rng: random.Random) -> str:
    clauses = THEMES[theme][1]
    clause = rng.choice(clauses)
    if rng.random() < 0.15:
        other = rng.choice([c for c in clauses if c != clause])
        clause = f"{clause}ことと、{other}"
    # About a third of real answers state the point without any frame.
    frame = rng.choice(["{}", "{}こと"]) if rng.random() < 0.35 else rng.choice(FRAMES)
    text = rng.choice(PREFIXES) + frame.format(clause)
    suffix = rng.choice(SUFFIXES)
    if suffix and not text.endswith(("。", "！")):
        text += suffix
    if rng.random() < 0.25:
        text = vary(text, rng)
    return text


def _bigrams(text: str) -> set[str]:
    key = "".join(
        c for c in unicodedata.normalize("NFKC", text).lower() if unicodedata.category(c)[0] in "LN"
    )
    key = kata_to_hira(key)
    return {key[i : i + 2] for i in range(len(key) - 1)} or {key}


def _too_close(grams: set[str], pool: list[set[str]]) -> bool:
    return any(len(grams & g) / len(grams | g) >= 0.5 for g in pool)


def labelled_rows(seed: int = SEED, size: int = 540) -> list[dict[str, str]]:
    rng = random.Random(seed)
    total_weight = sum(w for w, _, _ in THEMES.values())
    answers: list[tuple[str, str]] = []  # (theme, text)
    grams: list[set[str]] = []
    for theme, (weight, _, hand) in THEMES.items():
        for text in hand:
            answers.append((theme, vary(text, rng) if rng.random() < 0.15 else text))
            grams.append(_bigrams(answers[-1][1]))
        target = round(size * weight / total_weight)
        attempts = 0
        while sum(1 for t, _ in answers if t == theme) < target and attempts < 5000:
            attempts += 1
            text = template_answer(theme, rng)
            g = _bigrams(text)
            if not 5 <= len(text) <= 150 or _too_close(g, grams):
                continue
            answers.append((theme, text))
            grams.append(g)
    rng.shuffle(answers)
    answers = [(theme, text) for theme, text in answers if 5 <= len(text) <= 150]
    rows = [
        {"comment-id": f"A{i + 1:04d}", "comment-body": text, "theme": theme, "duplicate_of": ""}
        for i, (theme, text) in enumerate(answers)
    ]
    # Near-duplicates of longer answers, and two bulk submissions.
    candidates = [r for r in rows if len(r["comment-body"]) >= 14]
    copies: list[dict[str, str]] = []
    for original in rng.sample(candidates, 45):
        for _ in range(rng.choice([1, 1, 1, 2])):
            copies.append({**original, "comment-body": light_edit(original["comment-body"], rng)})
            copies[-1]["duplicate_of"] = original["comment-id"]
    for original, times in zip(rng.sample(candidates, 2), (10, 6), strict=True):
        for _ in range(times):
            body = original["comment-body"]
            if rng.random() < 0.4:
                body = light_edit(body, rng)
            copies.append(
                {**original, "comment-body": body, "duplicate_of": original["comment-id"]}
            )
    rng.shuffle(copies)
    for offset, copy in enumerate(copies):
        copy["comment-id"] = f"A{len(rows) + offset + 1:04d}"
    return rows + copies


CONTEXTS = [
    "{n}年前から市役所に勤めていますが、",
    "職員になって{n}年目です。",
    "{n}歳の母と暮らしています。",
    "窓口で{n}分待ちました。",
    "{dept}に{n}年いました。",
    "月に{n}回は市役所に行きます。",
    "子どもが{n}人います。",
    "この{n}年で少しは変わったと思うが、",
    "前の職場では{n}年前から当たり前だった。",
    "{n}月の説明会に参加しました。",
]
WHEN = [
    "先月",
    "去年",
    "先週",
    "この前",
    "春に",
    "年度末に",
    "引っ越しのときに",
    "出産のあとに",
    "昼休みに",
    "休日に",
]
WHERE = [
    "市民課",
    "税務課",
    "福祉課",
    "支所",
    "公民館",
    "図書館",
    "保健センター",
    "駅前の窓口",
    "コンビニ",
    "自宅",
]
WHAT = [
    "住民票",
    "印鑑証明",
    "児童手当",
    "介護保険",
    "国民健康保険",
    "転入届",
    "納税証明",
    "ごみの収集",
    "保育園の申込み",
    "粗大ごみ",
    "道路の補修",
    "防災メール",
]
FEELING = ["少し戸惑った", "思ったより簡単だった", "不便だと感じた", "時間がかかった", "助かった"]
STOCK = ["特になし", "とくにありません", "分からない", "よく分かりません", "なし", "特にない。"]


def synthetic_rows(n: int, seed: int = 1) -> list[dict[str, str]]:
    """``n`` benchmark rows (comment-id, comment-body, department, role) from the templates:
    mostly distinct answers (theme clauses in frames, often with a second sentence or a
    personal detail with a number), about 5 % near-duplicates of earlier rows and 2 % stock
    answers such as 「特になし」; no distinctness check."""
    rng = random.Random(seed)
    themes = list(THEMES)
    weights = [THEMES[t][0] for t in themes]
    rows: list[dict[str, str]] = []
    for i in range(n):
        draw = rng.random()
        theme = rng.choices(themes, weights)[0]
        if rows and draw < 0.05:
            body = light_edit(rng.choice(rows)["comment-body"], rng)
        elif draw < 0.07:
            body = rng.choice(STOCK)
        elif draw < 0.15:
            body = rng.choice(THEMES[theme][2])
            body = vary(body, rng) if rng.random() < 0.5 else body
        else:
            body = template_answer(theme, rng)
            if rng.random() < 0.35:
                body += rng.choice(["", "また、", "それと、"]) + template_answer(theme, rng)
            extra = rng.random()
            if extra < 0.4:
                context = rng.choice(CONTEXTS).format(
                    n=rng.randint(1, 40), dept=rng.choice(DEPARTMENTS[:-1])
                )
                body = context + body
            elif extra < 0.8:
                episode = (
                    f"{rng.choice(WHEN)}{rng.choice(WHERE)}で{rng.choice(WHAT)}の"
                    f"{rng.choice(['手続きをした', '相談をした', '話を聞いた'])}とき"
                    f"{rng.choice(FEELING)}。"
                )
                body = episode + body if rng.random() < 0.5 else body + "。" + episode
        rows.append(
            {
                "comment-id": f"S{i + 1:06d}",
                "comment-body": body,
                "department": rng.choice(DEPARTMENTS),
                "role": rng.choice(ROLES),
            }
        )
    return rows


def write_csv(rows: list[dict[str, str]], path: Path, encoding: str = "utf-8-sig") -> None:
    with open(path, "w", encoding=encoding, newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def main(argv: list[str]) -> None:
    path = Path(argv[0]) if argv else CSV_PATH
    rows = labelled_rows()
    write_csv(rows, path)
    dups = sum(1 for r in rows if r["duplicate_of"])
    print(f"{len(rows)} answers ({dups} near-duplicates, {len(THEMES)} themes) -> {path}")


if __name__ == "__main__":
    main(sys.argv[1:])
