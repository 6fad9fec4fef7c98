"""The search index's files, in-process: every term of every page can be found where search.js
looks for it, the same pages give the same bytes, and the synonyms registry is read like the others."""

from __future__ import annotations

import json
import pickle
import random
from dataclasses import replace
from pathlib import Path

from kepu.content.registries import load_registries
from kepu.formats.searchindex import SearchDoc, SearchSite, TermStore, build
from kepu.formats.searchterms import decode_postings, encode_postings, shard_of, text_terms


def doc(n: int, title: str, ends: int | None = 1_800_000_000, **kw) -> SearchDoc:
    return SearchDoc(url=f"events/e{n}/", title=title, when="2026年12月12日（周六）", place="北塘街道",
                     order=(f"e{n}",), names=(title,), ends=ends, **kw)


def named(manifest: dict, kind: str, number: int) -> str:
    """Where search.js looks for file ``number`` of ``kind`` (t: shards, d: pages)."""
    return f"{kind}/{number}.{manifest[kind][number]}.json"


def read(files: dict[str, bytes], term: str) -> set[int]:
    manifest = json.loads(files["index.json"])
    shard = json.loads(files[named(manifest, "t", shard_of(term, manifest["shards"]))])
    return {v >> 1 for v in decode_postings(shard.get(term, ""))}


def rows(files: dict[str, bytes]) -> list[list]:
    manifest = json.loads(files["index.json"])
    return [row for n in range(len(manifest["d"])) for row in json.loads(files[named(manifest, "d", n)])]


def test_postings_survive_encoding() -> None:
    rng = random.Random(5)
    for _ in range(200):
        values = sorted(rng.sample(range(200_000), rng.randint(0, 60)))
        assert decode_postings(encode_postings(values)) == values


def test_a_name_is_found_by_any_part_of_it_and_by_its_pinyin() -> None:
    terms = text_terms(["智启梦工厂周日编程班"], names=True)
    assert {"智启", "梦工", "工厂", "编程", "智", "班"} <= terms
    assert {"p:zhi'qi", "p:gong'chang", "i:zqm", "i:mgc"} <= terms
    body = text_terms(["用 AED 急救"], names=False)
    assert {"急救", "aed", "ae"} <= body and "急" not in body and not any(t.startswith("p:") for t in body)


def test_every_term_of_every_page_is_in_the_file_search_reads() -> None:
    docs = [doc(n, f"第{n}场科学会客厅：海洋与{'星空天气土壤'[n % 5]}", ends=1_790_000_000 + n * 3600,
                text=(f"正文{n} 机器人",), street=f"s{n % 3}", categories=("jiangzuo",)) for n in range(300)]
    docs.append(replace(doc(999, "新闻：科普日落幕", ends=None), url="news/a/", order=("2026-09-20",)))
    files = build(docs, SearchSite(), chunk=16, target=2_000)
    manifest = json.loads(files["index.json"])
    assert manifest["shards"] > 1 and manifest["events"] == 300 and manifest["news"] == 1
    shown = rows(files)
    assert [row[0] for row in shown][-1] == "news/a/"  # news after the events
    number = {row[0]: i for i, row in enumerate(shown)}
    for d in docs:
        for term in set().union(*d.term_sets()):
            assert number[d.url] in read(files, term), (d.url, term)
    assert read(files, "s:s1") == {number[d.url] for d in docs if d.street == "s1"}
    ends = [row[6] for row in shown[:300]]
    spans = [[min(ends[i:i + 16]), max(ends[i:i + 16])] for i in range(0, 300, 16)]
    assert manifest["spans"] == spans
    period = [e // (28 * 24 * 3600) for e in ends]
    assert period == sorted(period)  # events of one four-week period side by side, by title
    assert [row[1] for row in shown[:300] if row[6] // (28 * 24 * 3600) == period[0]] == sorted(
        row[1] for row in shown[:300] if row[6] // (28 * 24 * 3600) == period[0])


def test_the_same_pages_give_the_same_files_in_any_order() -> None:
    docs = [doc(n, f"活动{n}") for n in range(50)]
    shuffled = docs[:]
    random.Random(1).shuffle(shuffled)
    assert build(docs, SearchSite()) == build(shuffled, SearchSite())
    changed = build([*docs[:-1], doc(49, "活动四十九")], SearchSite())
    assert changed["index.json"] != build(docs, SearchSite())["index.json"]


def test_a_title_corrected_renames_only_the_files_it_changes() -> None:
    """An editor fixes a typo: the files a browser or a host keeps (every name but index.json)
    are the earlier ones except exactly the shards of the words that came or went and the page
    file showing the title; every other file keeps its name and its bytes."""
    docs = [doc(n, f"社区科普讲座第{n}期：健康生活{n % 7}") for n in range(600)]
    before = build(docs, SearchSite(), chunk=32, target=2_000)
    title = "社区科普讲座第300期：健康生活6讲"  # was …健康生活6: a word added at the end
    fixed = [*docs[:300], replace(docs[300], title=title, names=(title,)), *docs[301:]]
    after = build(fixed, SearchSite(), chunk=32, target=2_000)
    manifest = json.loads(after["index.json"])
    number = [row[0] for row in rows(after)].index("events/e300/")
    assert number == [row[0] for row in rows(before)].index("events/e300/")  # the same place
    came, went = (text_terms(d.names, names=True) for d in (fixed[300], docs[300]))
    touched = {named(manifest, "t", shard_of(term, manifest["shards"])) for term in came ^ went}
    touched.add(named(manifest, "d", number // manifest["chunk"]))
    assert touched and len(touched) < len(manifest["t"]) // 4
    assert set(after) - set(before) == touched
    numbered = {name.split(".")[0] for name in touched}  # t/5, d/9: the same files' earlier versions
    assert {name for name in before if name not in after} == {name for name in before if name.split(".")[0] in numbered}
    for name in set(after) & set(before) - {"index.json"}:
        assert after[name] == before[name]


def test_synonyms_are_read_from_a_list_or_one_line(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    for name in ("streets", "teams", "categories", "audiences"):
        (data / f"{name}.yml").write_text("[]\n", "utf-8")
    (data / "synonyms.yml").write_text(
        "- id: zuzhong\n  name: 卒中\n  words: 脑卒中、中风\n"
        "- id: aed\n  name: AED\n  words: [除颤仪, 自动体外除颤器]\n"
        "- id: bad\n  name: 坏\n  word: 错字段\n", "utf-8")
    registries, problems = load_registries(data)
    assert registries.synonyms["zuzhong"].group == ("卒中", "脑卒中", "中风")
    assert registries.synonyms["aed"].group == ("AED", "除颤仪", "自动体外除颤器")
    assert [(p.line, p.field, p.message) for p in problems] == [(9, "word", "未知字段")]
    assert "words" in problems[0].hint


def test_terms_kept_from_an_earlier_build_give_the_same_files_and_follow_an_edit() -> None:
    """The terms of unchanged pages come from the earlier build's store (a warm build works out one
    page's terms, not every page's): the files are byte for byte those made from scratch, before
    and after an edit, and an edited page's new words are found, its old ones not."""
    docs = [doc(n, f"第{n}场科学会客厅", text=(f"正文{n} 机器人 海洋",), street=f"s{n % 3}") for n in range(120)]
    first = TermStore()
    assert build(docs, SearchSite(), chunk=16, store=first) == build(docs, SearchSite(), chunk=16)
    assert first.made == 120
    kept = pickle.loads(pickle.dumps(first.data()))  # as the cache folder keeps it
    edited = [*docs[:-1], doc(119, "第119场流动科技馆", text=("天文望远镜",), street="s2")]
    again = TermStore(kept)
    files = build(edited, SearchSite(), chunk=16, store=again)
    assert files == build(edited, SearchSite(), chunk=16)
    assert again.made == 1  # only the edited page's terms were worked out
    number = {row[0]: i for i, row in enumerate(rows(files))}["events/e119/"]
    assert number in read(files, "望远") and number not in read(files, "会客")
    assert set(again.data()["pages"]) == {d.term_key() for d in edited}  # the old page's terms are let go
    assert again.changed  # kept again for the next build
    unchanged = TermStore(pickle.loads(pickle.dumps(again.data())))
    assert build(edited, SearchSite(), chunk=16, store=unchanged) == files
    assert (unchanged.made, unchanged.changed) == (0, False)  # nothing new to keep: not written again
