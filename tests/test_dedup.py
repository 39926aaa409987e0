"""Dedup keys: URL normalisation, content hashes, SimHash copies and clusters."""

from pathlib import Path

from etl.dedup import (
    Candidate,
    article_keys,
    content_hash,
    copy_similarity,
    estimate_jaccard,
    find_duplicates,
    normalise_url,
)

PESKOV = ("وقال المتحدث باسم الرئاسة الروسية دميتري بيسكوف للصحفيين نواصل بالطبع دعم الرئيس بشار الأسد "
          "مشيرا الى أن موسكو ستبني موقفها استنادا إلى ما هو ضروري من أجل استقرار الأوضاع. "
          "وأعلن الجيش الروسي أمس الأحد أنه يساعد الجيش السوري في صد فصائل معارضة في ثلاث محافظات بشمال البلاد.")


def test_normalise_url_drops_tracking_fragment_default_port_and_case():
    assert normalise_url("HTTPS://www.Example.com:443/news/1/?utm_source=x&b=2&a=1#top") == "example.com/news/1?a=1&b=2"
    assert normalise_url("http://example.com/news/1?a=1&b=2") == normalise_url("https://example.com/news/1/?b=2&a=1")


def test_normalise_url_keeps_meaningful_differences():
    assert normalise_url("http://example.com:8080/a") != normalise_url("http://example.com/a")
    assert normalise_url("http://example.com/a?id=1") != normalise_url("http://example.com/a?id=2")


def test_content_hash_ignores_diacritics_tatweel_digits_script_and_spacing():
    vocalised = PESKOV.replace("الأسد", "الأسَدُ").replace("ضروري", "ضـــروري").replace("ثلاث", "ثلاث  ")
    assert content_hash(vocalised) == content_hash(PESKOV)
    assert content_hash("قتل ٤٠٠ مسلح") == content_hash("قتل 400 مسلح")
    assert content_hash(PESKOV) != content_hash(PESKOV.replace("ثلاث", "أربع"))


def _decide(*keys, earlier=()):
    return {d.id: d for d in find_duplicates(keys, candidates={k.id: list(earlier) for k in keys},
                                             min_similarity=0.8)}


def test_urls_lose_tracking_amp_variants_and_mobile_hosts():
    ar = "https://www.aljazeera.net/news/2026/11/20/غارات-على-حلب"
    for variant in ("https://m.aljazeera.net/news/2026/11/20/غارات-على-حلب/?utm_medium=social&fbclid=Iw",
                    "https://www.aljazeera.net/amp/news/2026/11/20/غارات-على-حلب",
                    "http://aljazeera.net:80/news/2026/11/20/غارات-على-حلب?outputType=amp#comments"):
        assert normalise_url(variant) == normalise_url(ar)
    en = "https://www.bbc.com/news/articles/c0000000"
    for variant in ("https://amp.bbc.com/news/articles/c0000000?gclid=abc", "https://www.bbc.com/news/articles/c0000000.amp",
                    "https://www.bbc.com/news/articles/c0000000/amp/"):
        assert normalise_url(variant) == normalise_url(en)
    assert normalise_url("https://example.com/amplifier") != normalise_url("https://example.com/")
    assert normalise_url("https://m.com/a") == "m.com/a"  # a two-label host is not a mobile prefix


def test_minhash_similarity_is_high_for_copies_and_low_for_other_texts():
    text = (Path(__file__).parent / "fixtures" / "pages" / "aleppo_strikes_ar.txt").read_text(encoding="utf-8")
    a = article_keys(1, None, text)
    assert article_keys(2, None, "غارات سورية روسية على المسلحين بحلب").signature is None
    half = article_keys(3, None, text[: len(text) // 2])
    j = estimate_jaccard(a.signature, half.signature)
    assert j < 0.7 and copy_similarity(j, a.shingle_count, half.shingle_count) > 0.9
    other = article_keys(4, None, " ".join(reversed(text.split())))
    assert estimate_jaccard(a.signature, other.signature) < 0.1


def test_wire_copy_with_other_headline_is_duplicate_of_the_earliest():
    original = article_keys(10, "غارات سورية روسية على المسلحين بحلب", PESKOV * 2)
    copy = article_keys(12, "الطيران السوري والروسي يقصف مواقع المسلحين", (PESKOV * 2).replace("الأسد", "الأسَد"))
    other = article_keys(11, "Oil prices rise", "Oil prices rose on Monday as traders weighed supply " * 5)
    decisions = _decide(copy, other, original)
    assert decisions[10].duplicate_of is None
    assert decisions[12].duplicate_of == 10 and decisions[12].reason == "body-hash"
    assert decisions[11].duplicate_of is None


def test_copies_point_at_the_root_of_an_earlier_copy():
    first = article_keys(1, "a", PESKOV * 2)
    second = Candidate(article_keys(2, "b", PESKOV * 2), duplicate_of=1)
    third = article_keys(3, "c", PESKOV * 2 + " وأضاف أن الوضع مستقر")
    assert _decide(third, earlier=[second, Candidate(first, None)])[3].duplicate_of == 1


def test_same_canonical_url_is_a_copy_whatever_the_text():
    a = article_keys(1, "a", "short", canonical_url="https://www.example.com/a?utm_source=x")
    b = article_keys(2, "b", "other short", canonical_url="https://m.example.com/a")
    assert _decide(b, earlier=[Candidate(a, None)])[2].reason == "canonical-url"


def test_decisions_are_deterministic():
    keys = [article_keys(i, f"t{i}", PESKOV * 2 if i % 2 else "Some other story text " * 8) for i in range(1, 7)]
    assert _decide(*keys) == _decide(*reversed(keys))
