"""The report as Markdown, for wikis and pull requests: tables, maps as linked SVG and Mermaid.

Canvas text is escaped (:func:`~opcanvas.report.safety.md_text`), so no raw HTML or table break
reaches a Markdown renderer.

>>> from opcanvas.report.document import Document
>>> render_markdown(Document("Report", "<Acme>", "sub", ())).splitlines()[0]
'# \\\\<Acme\\\\>'
"""

from __future__ import annotations

from opcanvas.report.document import (
    Block,
    Bullets,
    Deliverable,
    Document,
    Figure,
    Files,
    Missing,
    Paragraph,
    Table,
)
from opcanvas.report.safety import md_text

_NUMERIC = {"money", "percent", "number", "integer", "days"}


def _table(table: Table) -> list[str]:
    lines = [f"**{md_text(table.caption)}**", ""] if table.caption else []
    if not table.rows:
        return [*lines, f"*{md_text(table.empty)}*", ""]
    align = [
        "---:" if any(row[i].kind in _NUMERIC for row in table.rows) else "---"
        for i in range(len(table.columns))
    ]
    lines.append("| " + " | ".join(md_text(c) for c in table.columns) + " |")
    lines.append("| " + " | ".join(align) + " |")
    for row in table.rows:
        cells = [
            f"**{md_text(c.text)}**" if c.emphasis and c.text else md_text(c.text) for c in row
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return [*lines, ""]


def _fence(code: str) -> str:
    """A code fence longer than any run of backticks inside ``code``."""
    longest, run = 0, 0
    for char in code:
        run = run + 1 if char == "`" else 0
        longest = max(longest, run)
    return "`" * max(3, longest + 1)


def _figure(figure: Figure) -> list[str]:
    lines = []
    if figure.file:
        lines += [f"![{md_text(figure.caption)}]({figure.file})", ""]
    if figure.mermaid:
        fence = _fence(figure.mermaid)
        lines += [f"{fence}mermaid", figure.mermaid.rstrip("\n"), fence, ""]
    if not lines:
        lines = [f"*{md_text(figure.caption)}: see the HTML or PDF report.*", ""]
    else:
        lines += [f"*{md_text(figure.caption)}*", ""]
    return lines


def _block(block: Block) -> list[str]:
    if isinstance(block, Paragraph):
        return [md_text(block.text), ""]
    if isinstance(block, Bullets):
        marks = [f"{i}." if block.ordered else "-" for i in range(1, len(block.items) + 1)]
        return [*(f"{m} {md_text(item)}" for m, item in zip(marks, block.items, strict=True)), ""]
    if isinstance(block, Table):
        return _table(block)
    if isinstance(block, Figure):
        return _figure(block)
    if isinstance(block, Missing):
        return ["> **Not yet in the canvas:**", *(f"> - {md_text(i)}" for i in block.items), ""]
    if isinstance(block, Files):
        return [*(f"- {md_text(label)}: `{path}`" for label, path in block.items), ""]
    raise TypeError(f"unknown block {type(block).__name__}")


def _deliverable(deliverable: Deliverable) -> list[str]:
    lines = [f"## {md_text(deliverable.heading)}", "", md_text(deliverable.summary), ""]
    if deliverable.conventions:
        lines += ["> **Conventions in force**", ">"]
        lines += [f"> - **{md_text(k)}**: {md_text(v)}" for k, v in deliverable.conventions]
        lines.append("")
    for section in deliverable.sections:
        lines += [f"### {md_text(section.title)}", ""]
        for block in section.blocks:
            lines += _block(block)
    return lines


def render_markdown(document: Document) -> str:
    """The whole report as one Markdown document (GitHub-flavoured tables)."""
    lines = [f"# {md_text(document.organization)}", ""]
    lines += [f"{md_text(document.title)} — {md_text(document.subtitle)}", ""]
    if document.headline:
        lines += ["| Figure | Value |", "| --- | ---: |"]
        lines += [f"| {md_text(k)} | {md_text(v)} |" for k, v in document.headline]
        lines.append("")
    if document.highlights:
        lines += ["**In brief**", "", *(f"- {md_text(h)}" for h in document.highlights), ""]
    for deliverable in document.deliverables:
        lines += _deliverable(deliverable)
    return "\n".join(lines).rstrip("\n") + "\n"
