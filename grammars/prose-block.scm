; prose-block.scm: which parts of the Markdown block tree hold prose.
; Everything not captured here (code blocks, HTML blocks, link reference
; definitions, front matter, thematic breaks) is never matched.
; server/prose.c does what this says by a tree walk (compiling the query
; costs 8.5 ms); the unit tests run this query as the walk's oracle.

; Paragraphs anywhere: top level, list items, block quotes. A paragraph
; that is a setext heading's content is told apart in prose.c.
(paragraph (inline) @prose)

; ATX headings: "## Net Revenue Retention".
(atx_heading heading_content: (inline) @heading)

; Table cells, header row included.
(pipe_table_cell) @cell

; Continuation markers inside a paragraph ("> " of a block quote, list
; indentation): not text, but they do not break a term wrapped over lines.
(inline (block_continuation) @continuation)
