; prose-inline.scm: what to cut out of an inline range.
; @skip: never prose, and a term never continues across it.
; @markup: delimiters; not text, but a term continues across them
; ("**Net Revenue** Retention").

(code_span) @skip
(link_destination) @skip
(link_title) @skip
(link_label) @skip
(uri_autolink) @skip
(email_autolink) @skip
(html_tag) @skip
(latex_block) @skip
(entity_reference) @skip
(numeric_character_reference) @skip

(emphasis_delimiter) @markup
