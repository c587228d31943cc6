"""`sim extract`: the splitter, who speaks, on what, what kind, the status against the coding,
the report through the CLI, and hostile documents."""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from model.cli import main
from model.extract import extract_documents
from model.extract.documents import Document
from model.extract.find import Extractor, kind_of
from model.scenario.loader import load_scenario
from model.scenario.seeds import SeedLibrary
from model.scenario.sentences import split

ROOT = Path(__file__).resolve().parent.parent
BASE = ROOT / "scenarios" / "base.yaml"


@pytest.fixture(scope="module")
def base():
    return load_scenario(BASE)


def texts(doc: str) -> list[str]:
    return [s.text for s in split(doc)]


def found(scenario, doc: str):
    return Extractor(scenario).document(Document("t.txt", doc))


def sim(*args: str):
    result = CliRunner().invoke(main, list(args))
    assert "Traceback" not in result.output
    return result


# --- the splitter ---


def test_abbreviations_and_initials_do_not_end_a_sentence():
    doc = "The U.S. envoy met Dr. Smith and J. D. Vance on Nov. 21 in Washington. They talked."
    assert texts(doc) == [
        "The U.S. envoy met Dr. Smith and J. D. Vance on Nov. 21 in Washington.",
        "They talked.",
    ]


def test_a_quotation_of_two_sentences_is_two_sentences_of_one_run():
    doc = '"For us, this is key. And we will seek guarantees," he told the channel. He left.'
    sentences = split(doc)
    assert [s.text for s in sentences] == [
        '"For us, this is key.',
        'And we will seek guarantees," he told the channel.',
        "He left.",
    ]
    assert sentences[0].run == sentences[1].run != sentences[2].run
    assert all(doc[s.start : s.start + len(s.text)] == s.text for s in sentences)


def test_headline_without_punctuation_and_dateline():
    doc = "Moscow rejects peace plan\nKYIV, Nov 21 (Reuters) - Ukraine said it would not cede land."
    sentences = split(doc)
    assert [s.text for s in sentences] == [
        "Moscow rejects peace plan",
        "Ukraine said it would not cede land.",
    ]
    assert [s.paragraph for s in sentences] == [0, 1]


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.sampled_from(list('ab. "“”?\nU.S,K')), max_size=80))
def test_every_sentence_stands_at_its_offset(doc):
    sentences = split(doc)
    for s in sentences:
        assert s.text and doc[s.start : s.start + len(s.text)] == s.text
    starts = [s.start for s in sentences]
    assert starts == sorted(set(starts))


# --- who speaks ---


def test_direct_reported_and_pronoun_speakers(base):
    doc = (
        "Sergei Lavrov said Ukraine's membership in NATO is unacceptable.\n"
        "According to Kaja Kallas, sanctions must stay in place.\n"
        "Maria Zakharova spoke to reporters on Tuesday.\n"
        'She added: "Any foreign troops in Ukraine will be legitimate targets."\n'
    )
    got = [(f.actor, f.issue, f.kind, f.speaker) for f in found(base, doc)]
    assert got == [
        ("russia", "nato_membership", "refusal", "Sergei Lavrov"),
        ("europe", "sanctions", "demand", "Kaja Kallas"),
        ("russia", "foreign_troops_ukraine", "refusal", "pronoun -> Maria Zakharova"),
    ]


def test_speaker_named_at_a_quotation_end_speaks_its_first_sentence(base):
    doc = '"We will never recognise Crimea as Russian. Never," Zelensky said.'
    got = [(f.actor, f.issue, f.kind) for f in found(base, doc)]
    assert got[0] == ("ukraine", "crimea", "refusal")


def test_a_claim_about_another_party_and_the_journalists_analysis_are_not_positions(base):
    doc = (
        "Zelensky said Russia wants to seize all of Donbas.\n"
        "Analysts say the sanctions must be tightened to work.\n"
        "The plan would cap Ukraine's army at 600,000 troops.\n"
    )
    assert found(base, doc) == []


def test_a_text_quoted_word_for_word_speaks_for_no_party(base):
    doc = (
        "One key provision states: \u201cUkraine agrees to enshrine in its constitution that it "
        "will not join NATO.\u201d\n"
        'The draft reads: "Russia accepts a ceasefire along the current line."\n'
    )
    assert found(base, doc) == []


def test_an_act_of_a_party_is_its_stance(base):
    doc = (
        "In 2019, Ukraine amended its constitution to commit to a path of full NATO and "
        "European Union membership.\n"
    )
    got = {(f.actor, f.issue, f.kind, f.value) for f in found(base, doc)}
    assert ("ukraine", "nato_membership", "demand", "path_open") in got
    assert ("ukraine", "eu_membership", "demand", None) in got


# --- on what, what kind ---


def test_issue_option_and_number(base):
    doc = (
        "Grushko said NATO must revoke the Bucharest decision.\n"
        "Rubio said Ukraine's army must be capped at 800,000 troops.\n"
    )
    got = [(f.issue, f.value) for f in found(base, doc)]
    assert ("nato_membership", "ban_bucharest_revoked") in got
    assert ("army_cap", 800.0) in got


def test_kinds_and_their_cues():
    assert kind_of("This is absolutely unacceptable for us")[:2] == (
        "refusal",
        "absolutely unacceptable",
    )
    assert kind_of("We will not accept that")[0] == "refusal"
    assert kind_of("Moscow demands guarantees")[:2] == ("demand", "demands")
    assert kind_of("it could serve as a basis for talks")[:2] == ("acceptance", "as a basis")
    assert kind_of("Kyiv could agree to a freeze")[0] == "concession"
    assert kind_of('"Russia has no veto over members," he said; members must agree')[0] == "refusal"


def test_a_stance_on_a_whole_text_has_no_issue(base):
    (f,) = found(base, "Putin said the plan could serve as a basis for a final settlement.")
    assert (f.actor, f.issue, f.kind, f.value) == ("russia", None, "acceptance", None)


# --- against the coding ---


def test_status_cited_supports_contradicts_new(base, tmp_path):
    seed = ROOT / "seeds" / "002_907a2b706aaeaa16.txt"
    doc = tmp_path / "new.txt"
    doc.write_text(
        "Lavrov said Russia will never accept Ukraine's NATO membership.\n"  # red line: supports
        "Peskov said Moscow could accept NATO's open door for Ukraine.\n"  # no red line crossed
        "Kallas said the European Union demands that the ZNPP be returned to Ukraine.\n"
        "Rutte said sanctions are unacceptable.\n",  # NATO has no stake: new
        encoding="utf-8",
    )
    findings = extract_documents(base, [seed, doc])
    embassy = [f for f in findings if f.quote.startswith("The Russian Embassy in Belgium")]
    assert [(f.actor, f.issue, f.status) for f in embassy] == [
        ("russia", "nato_enlargement", "cited")
    ]
    mine = [f for f in findings if f.doc.endswith("new.txt")]
    by_quote = {f.quote.split()[0] + f.actor + (f.issue or ""): f for f in mine}
    assert by_quote["Lavrovrussianato_membership"].status == "supports"
    peskov = by_quote["Peskovrussianato_enlargement"]
    assert (peskov.kind, peskov.value, peskov.status) == ("concession", "open_door", "supports")
    assert by_quote["Kallaseuropeznpp"].status == "supports"
    assert by_quote["Ruttenatosanctions"].status == "new"
    snippet = by_quote["Lavrovrussianato_membership"].snippet
    assert "quote: Lavrov said Russia will never accept Ukraine's NATO membership." in snippet


def test_contradiction_of_a_red_line(base):
    # Russia's red line on nato_membership is at least treaty neutrality: accepting an open path
    # crosses it
    from model.extract.status import set_against

    (f,) = [
        f
        for f in found(base, "Peskov said Moscow could accept the path to NATO for Ukraine.")
        if f.issue == "nato_membership"
    ]
    (judged,) = set_against([f], base)
    assert (f.value, judged.status) == ("path_open", "contradicts")
    assert "red line" in judged.reason


# --- the CLI ---


def test_json_through_the_cli(tmp_path):
    doc = tmp_path / "a.txt"
    doc.write_text("Sergei Lavrov said the sanctions must be lifted.\n", encoding="utf-8")
    result = sim("extract", str(doc), "--scenario", str(BASE), "--format", "json")
    assert result.exit_code == 0, result.output
    (row,) = json.loads(result.output)
    assert {k: row[k] for k in ("actor", "issue", "kind", "value", "status")} == {
        "actor": "russia",
        "issue": "sanctions",
        "kind": "demand",
        "value": "all_lifted",
        "status": "supports",
    }
    assert (
        row["doc"] == str(doc)
        and row["quote"] == "Sergei Lavrov said the sanctions must be lifted."
    )
    assert 0 < row["confidence"] <= 1 and row["cue"] == "must"


def test_out_writes_the_report_and_yaml_snippets_validate(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "n.txt").write_text(
        "Peace plan talks go on\nAndrii Sybiha said Ukraine will never cede Crimea.\n",
        encoding="utf-8",
    )
    out = tmp_path / "r.yaml"
    result = sim(
        "extract", str(seeds), "--scenario", str(BASE), "--format", "yaml", "--out", str(out)
    )
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert (
        "doc: n.txt" in text and "quote: Andrii Sybiha said Ukraine will never cede Crimea." in text
    )
    assert (
        SeedLibrary(seeds).check("n.txt", "Andrii Sybiha said Ukraine will never cede Crimea.")
        is None
    )


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "empty document"),
        (b"   \n\n", "empty document"),
        (b"\x00\x01binary\x00", "a binary file"),
        ("caf\u00e9 said".encode("latin-1"), "not UTF-8 text"),
        ("Lavrov said no.".encode("utf-16"), "UTF-16 text"),
    ],
)
def test_unreadable_documents_exit_2_naming_the_file(tmp_path, content, message):
    doc = tmp_path / "bad.txt"
    doc.write_bytes(content)
    result = sim("extract", str(doc), "--scenario", str(BASE))
    assert result.exit_code == 2
    assert str(doc) in result.output and message in result.output


def test_a_folder_without_txt_and_a_missing_file(tmp_path):
    (tmp_path / "a.pdf").write_bytes(b"%PDF")
    result = sim("extract", str(tmp_path), "--scenario", str(BASE))
    assert result.exit_code == 2 and "no .txt document" in result.output
    result = sim("extract", str(tmp_path / "gone.txt"), "--scenario", str(BASE))
    assert result.exit_code == 2 and "file not found" in result.output


def test_a_file_over_the_cap_is_refused_unread(tmp_path, monkeypatch):
    import model.extract.documents as documents

    monkeypatch.setattr(documents, "MAX_DOC_BYTES", 1000)
    doc = tmp_path / "big.txt"
    doc.write_text("Lavrov said no. " * 200, encoding="utf-8")
    result = sim("extract", str(doc), "--scenario", str(BASE))
    assert result.exit_code == 2 and "larger than the limit of 0.001 MB" in result.output


def test_a_document_in_which_no_actor_speaks(tmp_path):
    doc = tmp_path / "weather.txt"
    doc.write_text("It rained in Kyiv on Monday. The markets were calm.\n", encoding="utf-8")
    result = sim("extract", str(doc), "--scenario", str(BASE))
    assert result.exit_code == 0 and result.output.strip() == "no positions found"
    result = sim("extract", str(doc), "--scenario", str(BASE), "--format", "json")
    assert json.loads(result.output) == []


# --- sim validate's seed check, with the same splitter ---


def test_seed_quote_must_be_whole_sentences_and_a_miss_gets_the_closest(tmp_path):
    (tmp_path / "s.txt").write_text(
        "The U.S. envoy met Dr. Smith in Kyiv. Lavrov said the plan was unacceptable to Moscow.\n",
        encoding="utf-8",
    )
    lib = SeedLibrary(tmp_path)
    assert lib.check("s.txt", "The U.S. envoy met Dr. Smith in Kyiv.") is None
    assert lib.check("s.txt", "Dr. Smith in Kyiv.").startswith("quote not found in s.txt as whole")
    miss = lib.check("s.txt", "Lavrov said the plan is unacceptable to Moscow.")
    assert "closest sentence: 'Lavrov said the plan was unacceptable to Moscow.'" in miss


def test_an_issue_named_beside_and_a_quotation_carried_from_its_speaker(base):
    doc = (
        "Kremlin spokesperson Dmitry Peskov spoke about EU membership for Ukraine.\n"
        '"This is the sovereign right of any country.\n'
        'No one can dictate such decisions."\n'
    )
    got = [(f.actor, f.issue, f.kind, f.speaker) for f in found(base, doc)]
    assert got[0] == ("russia", "eu_membership", "acceptance", "quotation -> Dmitry Peskov")


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "Lavrov said",
                "NATO",
                "must",
                "unacceptable",
                "he added",
                '"',
                "“",
                ".",
                "\n",
                "Crimea",
                "the plan",
                "600,000",
                "according to",
                "Kyiv wants",
                " ",
                "U.S.",
            ]
        ),  # fmt: skip
        max_size=30,
    )
)
def test_any_text_gives_findings_that_quote_it(base, words):
    doc = " ".join(words)
    for f in Extractor(base).document(Document("h.txt", doc)):
        assert f.quote in doc and f.actor in base.actors and 0 < f.confidence <= 1
        assert f.issue is None or f.issue in base.issues


def test_validate_names_a_part_sentence_quote_and_suggests_the_closest(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / "d.txt").write_text(
        "The U.S. envoy met Dr. Smith in Kyiv. Lavrov said the plan was unacceptable.\n",
        encoding="utf-8",
    )
    tiny = (ROOT / "tests" / "data" / "tiny.yaml").read_text(encoding="utf-8")
    part = '[{doc: d.txt, quote: "envoy met Dr. Smith in Kyiv."}]'
    near = '[{doc: d.txt, quote: "Lavrov said the plan is unacceptable."}]'
    text = tiny.replace('[{url: "https://example.org/east"}]', part, 1).replace(
        '[{url: "https://example.org/east"}]', near, 1
    )
    (tmp_path / "s.yaml").write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", "s.yaml"])
    assert result.exit_code == 2 and "Traceback" not in result.output
    lines = result.stderr.splitlines()
    assert any(
        ".sources.0.quote: quote not found in d.txt as whole sentences" in ln for ln in lines
    ), lines
    assert any("closest sentence: 'Lavrov said the plan was unacceptable.'" in ln for ln in lines)
