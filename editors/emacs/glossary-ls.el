;;; glossary-ls.el --- glossary-ls with eglot -*- lexical-binding: t; -*-

;; Version: 0.2
;; Package-Requires: ((emacs "28.1") (eglot "1.9"))
;; Keywords: languages, text

;;; Commentary:

;; Registers glossary-ls with eglot for Markdown and plain-text buffers.
;; Works with the eglot package on Emacs 28 (Debian 12: elpa-eglot 1.9)
;; and with the eglot built into Emacs 29 and later.  Load this file,
;; then M-x eglot in a Markdown or text buffer, or start it
;; automatically:
;;
;;   (add-hook 'markdown-mode-hook #'eglot-ensure)
;;   (add-hook 'text-mode-hook #'glossary-ls-ensure)
;;
;; `glossary-ls-ensure' starts eglot only in the modes listed in
;; `glossary-ls-markdown-modes' and `glossary-ls-text-modes', not in
;; the many other modes derived from text-mode (Org, mail, ...).

;;; Code:

(require 'cl-lib)
(require 'eglot)

(defgroup glossary-ls nil
  "Glossary-aware checking of documentation."
  :group 'tools)

(defcustom glossary-ls-command '("glossary-ls" "--stdio")
  "Command that starts the glossary-ls server, program first."
  :type '(repeat string))

(defcustom glossary-ls-settings nil
  "Settings sent to the server as initializationOptions.
The keys are those of the glossaryLs section, for example
\(:rules (:undefined-acronym \"warning\")).  When
`eglot-workspace-configuration' has a :glossaryLs entry (the server
pulls it with workspace/configuration), that is used instead."
  :type 'plist)

(defcustom glossary-ls-markdown-modes '(markdown-mode gfm-mode markdown-ts-mode)
  "Major modes whose buffers are sent to the server as Markdown."
  :type '(repeat symbol))

(defcustom glossary-ls-text-modes '(text-mode)
  "Major modes whose buffers are sent to the server as plain text."
  :type '(repeat symbol))

(defun glossary-ls--contact (&rest _)
  "The eglot contact: `glossary-ls-command' and the settings."
  (append glossary-ls-command
          (list :initializationOptions
                (lambda (_server) (or glossary-ls-settings (make-hash-table))))))

(defun glossary-ls--modes (modes language-id)
  "MODES as eglot mode specs with LANGUAGE-ID."
  (mapcar (lambda (mode) (list mode :language-id language-id)) modes))

(defun glossary-ls--per-mode-language-ids-p ()
  "Non-nil when this eglot sends each buffer's own languageId.
Older eglot (1.9, Emacs 28's, for one) sends the language id of the
buffer that started the server for every buffer it manages, so
Markdown and plain text need a server each there."
  (fboundp 'eglot--languages))

(defun glossary-ls--server-programs ()
  "The `eglot-server-programs' entries for glossary-ls."
  (let ((md (glossary-ls--modes glossary-ls-markdown-modes "markdown"))
        (text (glossary-ls--modes glossary-ls-text-modes "plaintext")))
    (if (glossary-ls--per-mode-language-ids-p)
        (list (cons (append md text) #'glossary-ls--contact))
      ;; The Markdown entry comes first: markdown-mode derives from
      ;; text-mode, and eglot takes the first entry that matches.
      (list (cons md #'glossary-ls--contact)
            (cons text #'glossary-ls--contact)))))

(defun glossary-ls-register ()
  "Put the glossary-ls entries at the front of `eglot-server-programs'.
Earlier glossary-ls entries are replaced; entries for other servers
\(marksman for Markdown, say) stay, behind these."
  (setq eglot-server-programs
        (append (glossary-ls--server-programs)
                (cl-remove-if (lambda (entry) (eq (cdr entry) #'glossary-ls--contact))
                              eglot-server-programs))))

(defun glossary-ls-ensure ()
  "Start eglot with glossary-ls if the buffer's mode is one it handles."
  (when (memq major-mode (append glossary-ls-markdown-modes glossary-ls-text-modes))
    (eglot-ensure)))

(glossary-ls-register)

(provide 'glossary-ls)
;;; glossary-ls.el ends here
