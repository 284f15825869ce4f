/* embedded.S: data files compiled into the binary with .incbin: the
 * built-in glossary and the tree-sitter queries. Each blob is followed by
 * a NUL so it can be used as a C string; '<name>_end' marks its end. */
    .section .rodata

    .global gls_builtin_json
    .global gls_builtin_json_end
    .balign 16
gls_builtin_json:
    .incbin "server/data/cs-glossary.json"
gls_builtin_json_end:
    .byte 0

    .global gls_query_prose_block
    .global gls_query_prose_block_end
    .balign 16
gls_query_prose_block:
    .incbin "grammars/prose-block.scm"
gls_query_prose_block_end:
    .byte 0

    .global gls_query_prose_inline
    .global gls_query_prose_inline_end
    .balign 16
gls_query_prose_inline:
    .incbin "grammars/prose-inline.scm"
gls_query_prose_inline_end:
    .byte 0

    .section .note.GNU-stack,"",@progbits
