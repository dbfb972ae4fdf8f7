"""Each supported format becomes blocks with the right heading path and page; bad files fail clearly."""

from __future__ import annotations

import os
import random
import subprocess
import sys
from pathlib import Path

import docx
import pytest
from fpdf import FPDF

from assistant.settings import PROJECT_ROOT
from ingest.loaders import LoaderError, clean_text, load_document

# --- builders ----------------------------------------------------------------------------------


def _pdf_paragraph(pdf: FPDF, text: str) -> None:
    pdf.multi_cell(0, 8, text, new_x="LMARGIN", new_y="NEXT")


def _pdf_lines(pdf: FPDF, lines: list[str], size: int = 11) -> None:
    """Each line as the PDF's own line, in type of this size."""
    pdf.set_font("Helvetica", size=size)
    for line in lines:
        pdf.write(text=line)
        pdf.ln()


def _spaced_pdf_blocks(path: Path, rows: list[tuple[str, int]]) -> list[str]:
    """The blocks read from a one-page PDF of these lines, each followed by its drop to the next, in mm."""
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    for text, space in rows:
        pdf.write(h=5, text=text)
        pdf.ln(space)
    pdf.output(str(path))
    return [block.text for block in load_document(path)]


def _pdf_heading(pdf: FPDF, title: str, level: int) -> None:
    pdf.start_section(title, level=level)
    pdf.set_font("Helvetica", "B", 14)
    pdf.cell(text=title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=11)


def make_outlined_pdf(path: Path) -> Path:
    pdf = FPDF()
    pdf.set_font("Helvetica", size=11)
    pdf.add_page()
    _pdf_heading(pdf, "Chapter 1", 0)
    _pdf_paragraph(
        pdf, "This chapter introduces the partnership and explains who it serves across the county."
    )
    _pdf_heading(pdf, "Escalation", 1)
    _pdf_paragraph(
        pdf, "Practitioners should escalate concerns to their designated safeguarding lead within one day."
    )
    pdf.add_page()
    _pdf_paragraph(
        pdf, "Disagreements between agencies are resolved through the professional differences protocol."
    )
    pdf.add_page()
    _pdf_heading(pdf, "Chapter 2", 0)
    _pdf_paragraph(pdf, "Information sharing is vital for keeping children safe from harm and neglect.")
    pdf.output(str(path))
    return path


def _block_with(blocks, words: str):
    found = [b for b in blocks if words in b.text]
    assert len(found) == 1, f"expected one block containing {words!r}, got {[b.text for b in blocks]}"
    return found[0]


# --- formats -----------------------------------------------------------------------------------


def test_pdf_outline_gives_heading_paths_and_pages(tmp_path: Path) -> None:
    blocks = load_document(make_outlined_pdf(tmp_path / "guide.pdf"))

    intro = _block_with(blocks, "introduces the partnership")
    assert intro.headings == ["Chapter 1"]
    assert intro.page == 1
    escalate = _block_with(blocks, "escalate concerns")
    assert escalate.headings == ["Chapter 1", "Escalation"]
    assert escalate.page == 1
    carried = _block_with(blocks, "professional differences protocol")
    assert carried.headings == ["Chapter 1", "Escalation"], "a heading runs on over the next page"
    assert carried.page == 2
    sharing = _block_with(blocks, "Information sharing is vital")
    assert sharing.headings == ["Chapter 2"]
    assert sharing.page == 3
    # Headings are the path, not body text.
    assert not any(b.text.strip() in {"Chapter 1", "Escalation", "Chapter 2"} for b in blocks)


def test_a_pdf_heading_wrapped_over_two_lines_is_all_heading(tmp_path: Path) -> None:
    # Its first line is most of the bookmark's title; the last word, on a line of its own, used to start the text
    # under it ("sharing\nData protection legislation …").
    title = "Why data protection legislation does not prevent information sharing"
    pdf = FPDF()
    pdf.set_font("Helvetica", size=11)
    pdf.add_page()
    pdf.start_section(title, level=0)
    pdf.set_font("Helvetica", "B", 14)
    pdf.multi_cell(150, 8, title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=11)
    _pdf_paragraph(pdf, "Data protection legislation does not prevent the sharing of information to safeguard a child.")
    pdf.output(str(tmp_path / "advice.pdf"))
    blocks = load_document(tmp_path / "advice.pdf")
    assert [b.text for b in blocks] == [
        "Data protection legislation does not prevent the sharing of information to safeguard a child."]
    assert blocks[0].headings == [title]


def test_docx_headings_and_table_with_header_row(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_heading("Annual report", level=1)
    document.add_paragraph("The partnership met six times during the year to review its priorities.")
    document.add_heading("Rapid reviews", level=2)
    document.add_paragraph("Seven rapid reviews were completed, more than in any previous year.")
    table = document.add_table(rows=3, cols=2)
    for row, (year, number) in zip(
        table.rows, [("Year", "Number"), ("2021", "4"), ("2022", "7")], strict=True
    ):
        row.cells[0].text, row.cells[1].text = year, number
    document.add_heading("Training", level=1)
    document.add_paragraph("Over five hundred practitioners attended the two day course.")
    path = tmp_path / "report.docx"
    document.save(str(path))

    blocks = load_document(path)

    assert _block_with(blocks, "met six times").headings == ["Annual report"]
    assert _block_with(blocks, "Seven rapid reviews").headings == ["Annual report", "Rapid reviews"]
    tables = [b for b in blocks if b.kind == "table"]
    assert len(tables) == 1
    assert tables[0].headings == ["Annual report", "Rapid reviews"]
    assert tables[0].text.split("\n") == ["Year | Number", "2021 | 4", "2022 | 7"]
    assert _block_with(blocks, "five hundred").headings == ["Training"], "a new Heading 1 resets the path"


def test_html_headings_lists_tables_and_no_script(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(
        """<!doctype html><html><head><title>t</title><script>var leaked = "SCRIPTLEAK";</script></head>
        <body><nav>Home | Contact NAVLEAK</nav>
        <h1>Safeguarding</h1><p>Everyone who works with children has a responsibility to keep them safe.</p>
        <h2>Signs of abuse</h2>
        <ul><li>Unexplained bruising on a young baby.</li><li>A child who is afraid to go home.</li></ul>
        <table><tr><th>Year</th><th>Referrals</th></tr><tr><td>2022</td><td>1200</td></tr></table>
        <script>document.write("SCRIPTLEAK")</script>
        <h1>Contacts</h1><p>Call the front door team during office hours.</p></body></html>""",
        encoding="utf-8",
    )

    blocks = load_document(path)

    assert _block_with(blocks, "responsibility to keep them safe").headings == ["Safeguarding"]
    bruising = _block_with(blocks, "Unexplained bruising")
    assert bruising.kind == "list" and bruising.headings == ["Safeguarding", "Signs of abuse"]
    assert _block_with(blocks, "afraid to go home").kind == "list"
    table = _block_with(blocks, "Referrals")
    assert table.kind == "table" and table.text.split("\n") == ["Year | Referrals", "2022 | 1200"]
    assert _block_with(blocks, "front door team").headings == ["Contacts"]
    assert not any("SCRIPTLEAK" in b.text or "NAVLEAK" in b.text for b in blocks)


def test_markdown_headings_lists_and_tab_tables(tmp_path: Path) -> None:
    path = tmp_path / "notes.md"
    path.write_text(
        "# Partnership report\n\n"
        "The **partnership** publishes a [report](https://example.org) every year.\n\n"
        "## Training\n\n- First item about courses.\n- Second item about e-learning.\n\n"
        "Year\tTrained\n2021\t411\n2022\t558\n\n"
        "# Reviews\n\nSeven rapid reviews were held.\n",
        encoding="utf-8",
    )

    blocks = load_document(path)

    intro = _block_with(blocks, "publishes a")
    assert intro.headings == ["Partnership report"]
    assert intro.text == "The partnership publishes a report every year.", "markup is stripped"
    items = [b for b in blocks if b.kind == "list"]
    assert [b.text for b in items] == ["First item about courses.", "Second item about e-learning."]
    assert all(b.headings == ["Partnership report", "Training"] for b in items)
    table = _block_with(blocks, "Trained")
    assert table.kind == "table" and table.text.split("\n") == ["Year | Trained", "2021 | 411", "2022 | 558"]
    assert _block_with(blocks, "Seven rapid").headings == ["Reviews"]


def test_text_paragraphs(tmp_path: Path) -> None:
    path = tmp_path / "plain.txt"
    path.write_text("First paragraph\nwraps over two lines.\n\n\nSecond paragraph.\n", encoding="utf-8")

    blocks = load_document(path)

    assert [b.text for b in blocks] == ["First paragraph wraps over two lines.", "Second paragraph."]
    assert all(b.headings == [] and b.page is None for b in blocks)


# --- bad inputs --------------------------------------------------------------------------------


def _corrupt_pdf(tmp_path: Path) -> Path:
    path = tmp_path / "corrupt.pdf"
    path.write_bytes(random.Random(1).randbytes(4096))
    return path


def _truncated_pdf(tmp_path: Path) -> Path:
    whole = make_outlined_pdf(tmp_path / "whole.pdf").read_bytes()
    path = tmp_path / "truncated.pdf"
    path.write_bytes(whole[: len(whole) // 3])
    return path


def _encrypted_pdf(tmp_path: Path) -> Path:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    pdf.multi_cell(0, 8, "Confidential minutes of the strategy discussion about a named child.")
    pdf.set_encryption(owner_password="owner-secret", user_password="user-secret")
    path = tmp_path / "locked.pdf"
    pdf.output(str(path))
    return path


def _scanned_pdf(tmp_path: Path) -> Path:
    pdf = FPDF()
    for _ in range(2):
        pdf.add_page()
        pdf.rect(20, 20, 120, 160, style="F")
        pdf.ellipse(40, 40, 60, 30)
    path = tmp_path / "scanned.pdf"
    pdf.output(str(path))
    return path


def _latin1_txt(tmp_path: Path) -> Path:
    path = tmp_path / "latin1.txt"
    path.write_bytes("Café policy for the crèche: naïve façade.".encode("latin-1"))
    return path


def _empty_md(tmp_path: Path) -> Path:
    path = tmp_path / "empty.md"
    path.write_bytes(b"")
    return path


def _unknown_extension(tmp_path: Path) -> Path:
    path = tmp_path / "notes.xyz"
    path.write_text("Perfectly readable words in a format nobody supports.", encoding="utf-8")
    return path


def _corrupt_docx(tmp_path: Path) -> Path:
    path = tmp_path / "broken.docx"
    path.write_bytes(random.Random(2).randbytes(4096))
    return path


@pytest.mark.parametrize(
    ("build", "reason_words"),
    [
        (_corrupt_pdf, "corrupt"),
        (_truncated_pdf, "corrupt or truncated"),
        (_encrypted_pdf, "encrypted"),
        (_scanned_pdf, "scanned"),
        (_latin1_txt, "UTF-8"),
        (_empty_md, "empty"),
        (_unknown_extension, "unsupported file type"),
        (_corrupt_docx, "not a DOCX"),
    ],
    ids=[
        "corrupt-pdf",
        "truncated-pdf",
        "encrypted-pdf",
        "scanned-pdf",
        "latin1-txt",
        "empty",
        "xyz",
        "bad-docx",
    ],
)
def test_bad_files_raise_loader_error_naming_the_file(tmp_path: Path, build, reason_words: str) -> None:
    path = build(tmp_path)

    with pytest.raises(LoaderError) as caught:
        load_document(path)

    message = str(caught.value)
    assert message.startswith(f"{path.name}: "), message
    assert reason_words.lower() in message.lower(), message
    assert caught.value.path == path


def test_docx_that_is_a_zip_but_not_a_document_raises_loader_error(tmp_path: Path) -> None:
    import zipfile

    path = tmp_path / "fake.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "not a word document")

    with pytest.raises(LoaderError, match=r"^fake\.docx: "):
        load_document(path)


def test_ingest_modules_import_on_their_own() -> None:
    """`import ingest.loaders` in a fresh process (it once failed on a circular import)."""
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT)}
    result = subprocess.run(
        [sys.executable, "-c", "import ingest.loaders"],
        capture_output=True,
        text=True,
        env=env,
        cwd=PROJECT_ROOT,
    )
    assert result.returncode == 0, result.stderr.strip().splitlines()[-1:]


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("plain  text\there ", "plain text here"),
        ("null\x00 byte, zero\u200bwidth, soft\u00adhyphen", "null byte, zerowidth, softhyphen"),
        ("keeps\nlines, ligatures \ufb01ne, emoji \U0001f600", "keeps\nlines, ligatures fine, emoji \U0001f600"),
        ("no\u00a0break space", "no break space"),
    ],
)
def test_clean_text_drops_control_and_format_characters_only(raw: str, clean: str) -> None:
    assert clean_text(raw) == clean


def make_footnoted_pdf(path: Path) -> Path:
    """A sentence that runs over a page break, with a footnote mark, and the footnote in small type at the foot of
    its first page."""
    pdf = FPDF()
    pdf.set_font("Helvetica", size=11)
    pdf.add_page()
    _pdf_heading(pdf, "Publication", 0)
    pdf.write(text="12. Reviews are about sharing improvements")
    pdf.set_font("Helvetica", size=7)
    pdf.write(text="205")  # a footnote mark, set small after its word
    pdf.set_font("Helvetica", size=11)
    pdf.write(text=", so the safeguarding partners must")
    pdf.ln()
    pdf.set_y(-40)
    pdf.set_font("Helvetica", size=6)
    pdf.write(text="206")  # the footnote's number, set smaller than its text, as Working Together 2023 sets it
    pdf.set_font("Helvetica", size=8)
    pdf.write(text=" Children Act 2004 Section 16F (1) and the Regulations 2018")
    pdf.ln()
    pdf.write(text="Regulation 15, as amended")
    pdf.ln()
    pdf.set_font("Helvetica", size=11)
    pdf.add_page()
    _pdf_paragraph(pdf, "publish the report within six months of the decision to review.")
    _pdf_paragraph(pdf, "13. The panel must publish its own report as well.")
    pdf.output(str(path))
    return path


def test_a_footnote_mark_set_straight_after_a_number_is_dropped_and_the_number_kept(tmp_path: Path) -> None:
    # Working Together 2023: "… Children and Social Work Act 2017²¹⁴." read as "2017214"; "section 3⁸" as "38"
    pdf = FPDF()
    pdf.add_page()
    for text, size in (("Child death review partners are set out in the Children and Social Work Act 2017", 11),
                       ("214", 7), (". Section 3", 11), ("8", 7), (" recognises children as victims in their own "
                       "right, and the Act has 120 sections.", 11)):
        pdf.set_font("Helvetica", size=size)
        pdf.write(text=text)
    pdf.output(str(tmp_path / "wt.pdf"))
    text = load_document(tmp_path / "wt.pdf")[0].text
    assert text == ("Child death review partners are set out in the Children and Social Work Act 2017. Section 3 "
                    "recognises children as victims in their own right, and the Act has 120 sections.")


def test_a_footnote_mark_set_between_two_words_leaves_a_space(tmp_path: Path) -> None:
    # The information sharing advice's golden rule 2: "engage with the child²and/or their carer(s)" read
    # "child2and/or"; a code in body type ("EC2A 3NH") keeps its digits
    pdf = FPDF()
    pdf.add_page()
    for text, size in (("Engage with the child", 11), ("2", 7),
                       ("and/or their carer(s). Write to London EC2A 3NH.", 11)):
        pdf.set_font("Helvetica", size=size)
        pdf.write(text=text)
    pdf.output(str(tmp_path / "rules.pdf"))
    assert load_document(tmp_path / "rules.pdf")[0].text == (
        "Engage with the child and/or their carer(s). Write to London EC2A 3NH.")


def test_a_small_number_after_a_space_is_a_mark_in_the_body_and_a_new_note_among_footnotes(tmp_path: Path) -> None:
    # Working Together 2023: "The Children Act 1989 ¹ sets out …"; KCSIE 2025: two footnotes read as one line
    pdf = FPDF()
    pdf.add_page()
    for text, size in (("4. The Children Act 1989 ", 11), ("1", 7), (" sets out specific duties to provide services "
                                                                         "for children in need in their area.", 11)):
        pdf.set_font("Helvetica", size=size)
        pdf.write(text=text)
    pdf.set_y(-40)
    for text, size in (("15", 6), (" Further information is in Working Together. ", 8), ("16", 6),
                       (" Working Together sets out the threshold document.", 8)):
        pdf.set_font("Helvetica", size=size)
        pdf.write(text=text)
    pdf.output(str(tmp_path / "kcsie.pdf"))
    assert [block.text for block in load_document(tmp_path / "kcsie.pdf")] == [
        "4. The Children Act 1989 sets out specific duties to provide services for children in need in their area.",
        "Footnote 15: Further information is in Working Together.",
        "Footnote 16: Working Together sets out the threshold document.",
    ]


def test_a_footnote_may_start_with_a_number_and_a_note_line_starting_with_one_goes_on_the_note(tmp_path: Path) -> None:
    # KCSIE 2025 page 76: "… and obtained the 87 16-19 Academies … should maintain a single central record." was one
    # paragraph; page 52: footnote 48 wraps "… as defined in section⏎22 Children Act 1989 …", which is no footnote 22.
    # Footnotes are numbered in order: a small number that cannot be the next note's goes on the note before
    pdf = FPDF()
    pdf.add_page()
    _pdf_lines(pdf, ["275. Schools must record that the supply agency has carried out the checks and obtained the"])
    pdf.set_y(-50)
    notes = ["86 A child who is looked after as defined in section", "22 Children Act 1989, means a child in care.",
             "87 16-19 Academies should maintain a single central record.", "88 Regulations 12(7) and 24(7)."]
    _pdf_lines(pdf, notes, size=8)
    pdf.add_page()
    _pdf_lines(pdf, ["appropriate certificates, and the date this confirmation was received.", "",
                     "276. The details of an individual should be removed from the record when they leave the school."])
    pdf.output(str(tmp_path / "kcsie.pdf"))
    assert [block.text for block in load_document(tmp_path / "kcsie.pdf")] == [
        "275. Schools must record that the supply agency has carried out the checks and obtained the appropriate "
        "certificates, and the date this confirmation was received.",
        "Footnote 86: A child who is looked after as defined in section 22 Children Act 1989, means a child in care.",
        "Footnote 87: 16-19 Academies should maintain a single central record.",
        "Footnote 88: Regulations 12(7) and 24(7).",
        "276. The details of an individual should be removed from the record when they leave the school.",
    ]


def test_footnotes_numbered_afresh_on_a_later_page_are_notes_of_their_own(tmp_path: Path) -> None:
    # KCSIE 2025's flow chart has notes 1-5 of its own, after the document's notes have reached the forties
    pdf = FPDF()
    for body, notes in ((["41. Staff should act on any concern about a child's welfare."], ["41 See Part one."]),
                        (["Flow chart: actions where there are concerns about a child."],
                         ["1 In cases which involve a staff member, see Part four.", "2 Early help means support."])):
        pdf.add_page()
        _pdf_lines(pdf, [*body, "", "The designated safeguarding lead should be told, and a record kept of it."])
        pdf.set_y(-40)
        _pdf_lines(pdf, notes, size=8)
    pdf.output(str(tmp_path / "kcsie.pdf"))
    notes = [block.text for block in load_document(tmp_path / "kcsie.pdf") if block.text.startswith("Footnote")]
    assert notes == ["Footnote 41: See Part one.", "Footnote 1: In cases which involve a staff member, see Part four.",
                     "Footnote 2: Early help means support."]


def test_a_list_ends_where_a_line_starts_left_of_its_items(tmp_path: Path) -> None:
    # The National Framework, page 5: the last item ends unpunctuated ("… by the Secretary of State"), and the
    # paragraph after the list ("It applies to all children …") was read into it. An item's lines sit right of its
    # bullet; a line back at the margin starts what follows, unless the line before ends on a word like "of the"
    pdf = FPDF()
    pdf.add_page()
    indent = pdf.l_margin + 8
    for text, left in (("This guidance is issued under:", pdf.l_margin),
                       ("- section 7 of the Local Authority Social Services Act 1970", pdf.l_margin + 3),
                       ("- section 11(4) of the Children Act 2004, which requires each person to have", indent - 5),
                       ("regard to any guidance given to them by the", indent),
                       ("Secretary of State", indent),
                       ("It applies to all children who come into contact with children's social care.", pdf.l_margin),
                       ("- a relative, which has the meaning given in section 105 of the", indent - 5),
                       ("Children Act 1989, and", pdf.l_margin),
                       ("any other person with parental responsibility", pdf.l_margin)):
        pdf.set_font("Helvetica", size=11)
        pdf.set_x(left)
        pdf.write(text=text)
        pdf.ln()
    pdf.output(str(tmp_path / "framework.pdf"))
    assert [block.text for block in load_document(tmp_path / "framework.pdf")] == [
        "This guidance is issued under:",
        "section 7 of the Local Authority Social Services Act 1970",
        "section 11(4) of the Children Act 2004, which requires each person to have regard to any guidance given to "
        "them by the Secretary of State",
        "It applies to all children who come into contact with children's social care.",
        "a relative, which has the meaning given in section 105 of the Children Act 1989, and any other person with "
        "parental responsibility",
    ]


def test_a_capitalised_line_set_a_blank_line_below_the_one_before_starts_a_block(tmp_path: Path) -> None:
    # KCSIE's Annex B lists resources one to a paragraph, none ending in a full stop; read by their text alone
    # they were one block ("… radicalisation London Grid for Learning – …"). A line after a word like "other"
    # finishes its sentence however far below it sits. (The document's usual line spacing is the prose's.)
    rows = [("Annex B lists further advice, which school and college leaders and staff who", 5),
            ("work directly with children should read, on the issues it covers. Most of", 5),
            ("it is published by the department and other government departments; some by", 5),
            ("charities, and each entry names who publishes it:", 12),
            ("Educateagainsthate - Provides practical advice on protecting children from", 5),
            ("extremism and radicalisation", 12),
            ("London Grid for Learning - Provides advice on all aspects of online safety", 12),
            ("The Criminal Justice Act 2003 obliges them to co-operate with other", 12),
            ("DTC agencies as far as they can.", 5)]
    assert _spaced_pdf_blocks(tmp_path / "annex.pdf", rows) == [
        "Annex B lists further advice, which school and college leaders and staff who work directly with children "
        "should read, on the issues it covers. Most of it is published by the department and other government "
        "departments; some by charities, and each entry names who publishes it:",
        "Educateagainsthate - Provides practical advice on protecting children from extremism and radicalisation",
        "London Grid for Learning - Provides advice on all aspects of online safety",
        "The Criminal Justice Act 2003 obliges them to co-operate with other DTC agencies as far as they can.",
    ]


def test_a_double_spaced_pdf_keeps_its_paragraphs_whole(tmp_path: Path) -> None:
    # Every line of a double-spaced document sits a blank line's height below the one before: only a gap wider
    # than its own line spacing starts a block, or each capitalised line would ("… the⏎Children's Services …")
    rows = [("Staff who are worried about a child should tell the designated safeguarding lead", 10),
            ("Children's Services may then be contacted by the lead, who keeps a record", 10),
            ("Parents are told unless that would put the child at risk.", 18),
            ("Records are kept securely and shared only with those who need to know", 10),
            ("Further advice is in the local procedures.", 10)]
    assert _spaced_pdf_blocks(tmp_path / "policy.pdf", rows) == [
        "Staff who are worried about a child should tell the designated safeguarding lead Children's Services may "
        "then be contacted by the lead, who keeps a record Parents are told unless that would put the child at risk.",
        "Records are kept securely and shared only with those who need to know Further advice is in the local "
        "procedures.",
    ]


def test_a_word_or_a_range_of_numbers_hyphenated_over_a_line_break_is_rejoined(tmp_path: Path) -> None:
    # KCSIE 2025: "… worked in a 16-⏎19 academy …"; a dash between words stays a dash
    pdf = FPDF()
    pdf.add_page()
    _pdf_lines(pdf, ["Staff who have worked in the further education sector, or in a 16-", "19 academy, are checked by",
                     "the child-", "centred lead - and the head -", "7 staff in all."])
    pdf.output(str(tmp_path / "kcsie.pdf"))
    assert load_document(tmp_path / "kcsie.pdf")[0].text == (
        "Staff who have worked in the further education sector, or in a 16-19 academy, are checked by the "
        "child-centred lead - and the head - 7 staff in all.")


def test_footnote_references_word_left_in_a_bookmark_title_are_not_part_of_the_heading(tmp_path: Path) -> None:
    # KCSIE 2025's outline: "Child criminal exploitation (CCE)12F"; the page shows the title and a small mark
    pdf = FPDF()
    pdf.add_page()
    for title in ("Child criminal exploitation (CCE)12F", "Children Act 2004 Section 16F"):
        pdf.start_section(title, level=0)
        pdf.set_font("Helvetica", "B", 14)
        pdf.write(text=title.removesuffix("12F"))
        if title.endswith("12F"):
            pdf.set_font("Helvetica", size=8)
            pdf.write(text="12")
        pdf.ln()
        _pdf_paragraph(pdf, "Some text about exploitation of children by criminals and the duties that follow.")
    pdf.output(str(tmp_path / "kcsie.pdf"))
    blocks = load_document(tmp_path / "kcsie.pdf")
    assert [block.headings for block in blocks] == [["Child criminal exploitation (CCE)"],
                                                    ["Children Act 2004 Section 16F"]]


def test_a_footnote_mark_wrapped_to_the_start_of_a_line_is_dropped_and_the_sentence_goes_on(tmp_path: Path) -> None:
    # KCSIE 2025 paragraph 102: "… role of designated safeguarding lead.³¹" with the mark wrapped to the next line;
    # the paragraph reader would take "It is not …" after a full stop for a new paragraph
    pdf = FPDF()
    pdf.set_font("Helvetica", size=11)
    pdf.add_page()
    pdf.write(text="102. Governing bodies should appoint a designated safeguarding lead.")
    pdf.ln()
    pdf.set_font("Helvetica", size=7)
    pdf.write(text="31")
    pdf.set_font("Helvetica", size=11)
    pdf.write(text=" It is not appropriate for the proprietor to be")
    pdf.ln()
    pdf.write(text="the designated safeguarding lead.")
    pdf.ln()
    pdf.ln()
    pdf.write(text="31 schools took part in the survey, and 12 colleges.")  # a number in body type stays
    pdf.ln()
    pdf.ln()
    pdf.write(text="52. Options will then include undertaking an early help assessment,")  # KCSIE 2025 page 18
    pdf.ln()
    pdf.set_font("Helvetica", size=7)
    pdf.write(text="15")
    pdf.set_font("Helvetica", size=11)
    pdf.write(text=" or making a referral to statutory services.")
    pdf.output(str(tmp_path / "kcsie.pdf"))
    text = "\n".join(block.text for block in load_document(tmp_path / "kcsie.pdf"))
    assert text.startswith("102. Governing bodies should appoint a designated safeguarding lead. It is not appropriate "
                           "for the proprietor to be the designated safeguarding lead.")
    assert "31 schools took part" in text
    assert "undertaking an early help assessment, or making a referral" in text


def test_a_pdf_footnote_does_not_break_into_the_sentence_it_interrupts(tmp_path: Path) -> None:
    blocks = load_document(make_footnoted_pdf(tmp_path / "review.pdf"))
    sentence = _block_with(blocks, "partners must publish the report within six months")  # one sentence, rejoined
    assert sentence.text.startswith("12. Reviews are about sharing improvements, so")  # without its mark "205"
    assert sentence.page == 1 and sentence.headings == ["Publication"]
    assert "16F" not in sentence.text
    note = _block_with(blocks, "Section 16F")  # kept, whole, labelled, after the sentence it annotates
    assert note.text == ("Footnote 206: Children Act 2004 Section 16F (1) and the Regulations 2018 "
                         "Regulation 15, as amended")
    assert blocks.index(sentence) < blocks.index(note)
    assert _block_with(blocks, "The panel must publish").page == 2  # a numbered paragraph starts afresh


def test_a_contents_heading_that_groups_sections_is_not_in_their_heading_path(tmp_path: Path) -> None:
    # KCSIE 2025 bookmarks Annex B's sections under its own "Table of contents"
    path = tmp_path / "annex.md"
    path.write_text("# Annex B: Further information\n\n## Table of contents\n\nDrugs 150\n\n### Drugs\n\n"
                    "Advice for schools on drugs and alcohol.\n")
    blocks = load_document(path)
    assert [(block.headings, block.text) for block in blocks] == [
        (["Annex B: Further information", "Drugs"], "Advice for schools on drugs and alcohol.")
    ]
