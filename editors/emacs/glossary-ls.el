;;; glossary-ls.el --- glossary-ls with eglot -*- lexical-binding: t; -*-

;; Registers glossary-ls for Markdown and plain text with eglot (built in
;; since Emacs 29; a package before that). Load this file, then M-x eglot
;; in a Markdown or text buffer, or add eglot-ensure to the mode hooks.

;;; Code:

(require 'eglot)

(defgroup glossary-ls nil
  "Glossary-aware checking of documentation."
  :group 'tools)

(defcustom glossary-ls-command '("glossary-ls" "--stdio")
  "Command that starts the glossary-ls server."
  :type '(repeat string))

(defcustom glossary-ls-settings nil
  "Settings sent as initializationOptions and the glossaryLs section,
for example (:rules (:undefined-acronym \"warning\"))."
  :type 'plist)

(add-to-list 'eglot-server-programs
             `((markdown-mode gfm-mode text-mode)
               . ,(lambda (&rest _)
                    (append glossary-ls-command
                            (list :initializationOptions glossary-ls-settings)))))

(provide 'glossary-ls)
;;; glossary-ls.el ends here
