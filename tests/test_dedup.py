"""Dedup keys: URL normalisation, content hashes, SimHash copies and clusters."""

from pathlib import Path

from etl.dedup import (
    DedupKeys,
    article_keys,
    content_hash,
    find_duplicates,
    hamming,
    normalise_url,
    simhash,
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


def test_simhash_is_none_for_short_texts_and_close_for_small_edits():
    assert simhash("غارات سورية روسية على المسلحين بحلب") is None
    a, b = simhash(PESKOV), simhash(PESKOV + " وأضاف أن الوضع مستقر")
    assert a is not None and b is not None
    assert hamming(a, b) < hamming(a, simhash(" ".join(reversed(PESKOV.split()))))


def test_wire_copy_with_other_headline_is_duplicate_of_the_earliest():
    original = article_keys(10, "غارات سورية روسية على المسلحين بحلب", PESKOV)
    copy = article_keys(12, "الطيران السوري والروسي يقصف مواقع المسلحين", PESKOV.replace("الأسد", "الأسَد"))
    other = article_keys(11, "Oil prices rise", "Oil prices rose on Monday " * 10)
    decisions = {d.id: d for d in find_duplicates([copy, other, original])}
    assert decisions[10].duplicate_of is None and decisions[10].cluster_id == 10
    assert decisions[12].duplicate_of == 10 and decisions[12].cluster_id == 10
    assert decisions[11].duplicate_of is None and decisions[11].cluster_id == 11


def test_new_articles_match_earlier_decisions_and_inherit_their_root():
    first = article_keys(1, "a", PESKOV)
    second = article_keys(2, "b", PESKOV)
    earlier = [(first, find_duplicates([first])[0])]
    [(decided_second)] = find_duplicates([second], earlier=earlier)
    third = article_keys(3, "c", PESKOV)
    [decided_third] = find_duplicates([third], earlier=earlier + [(second, decided_second)])
    assert decided_third.duplicate_of == 1


def test_dedup_leaves_same_title_stories_to_the_cluster_stage():
    a = DedupKeys(1, None, None, frozenset({"غارات", "سوريه", "روسيه", "حلب"}))
    b = DedupKeys(2, None, None, frozenset({"غارات", "سوريه", "روسيه", "حلب", "ادلب"}))
    decisions = find_duplicates([a, b])
    assert decisions[1].duplicate_of is None and decisions[1].cluster_id == 2


def test_near_copy_found_through_simhash_bands():
    text = (Path(__file__).parent / "fixtures" / "pages" / "aleppo_strikes_ar.txt").read_text(encoding="utf-8")
    original = article_keys(1, "a", text)
    near = article_keys(2, "b", text.replace("ثلاث محافظات", "ثلاثة محافظات"))
    assert near.content_hash != original.content_hash
    assert hamming(near.simhash, original.simhash) <= 3
    assert find_duplicates([near, original])[1].duplicate_of == 1


def test_decisions_are_deterministic():
    keys = [article_keys(i, f"t{i}", PESKOV if i % 2 else "Some other story text " * 8) for i in range(1, 7)]
    assert find_duplicates(keys) == find_duplicates(list(reversed(keys)))
