;;; emacs_session.el --- a real Emacs drives glossary-ls through eglot -*- lexical-binding: t; -*-

;; Run as: emacs --batch -Q -l tests/editors/emacs_session.el
;; Environment: GLS_REPO (the checkout), GLS_BINARY (the server),
;; GLS_WRAPPER (optional command prefix, e.g. valgrind ...), GLS_DOC (a
;; Markdown file: line 1 has NRR, line 2 "The NPS score rose.", line 3
;; ends in "net rev"), GLS_OUT (where the JSON results go),
;; GLS_TIMEOUT_SCALE (multiplies every wait).
;;
;; Loads editors/emacs/glossary-ls.el, opens the document in
;; markdown-mode (text-mode when markdown-mode is not installed), lets
;; eglot-ensure start the server, waits for Flymake's diagnostics, then
;; asks for hover on NRR and completion after "net rev" on eglot's own
;; connection and completion-at-point function, applies the preferred
;; quick fix with eglot-code-actions, and shuts eglot down.  Everything
;; seen goes to GLS_OUT for tests/integration/test_editors.py to judge.

;;; Code:

(require 'cl-lib)
(require 'json)
(require 'package)
(require 'subr-x)

(defvar gls-result nil "Alist of what the session saw.")
(defvar gls-scale (string-to-number (or (getenv "GLS_TIMEOUT_SCALE") "1")))
(when (<= gls-scale 0) (setq gls-scale 1))

(defun gls-put (key value)
  (setf (alist-get key gls-result) value))

(defun gls-wait (seconds pred)
  "Run the event loop until PRED is non-nil or SECONDS (scaled) pass."
  (let ((deadline (+ (float-time) (* seconds gls-scale))))
    (while (and (not (funcall pred)) (< (float-time) deadline))
      (accept-process-output nil 0.05))
    (funcall pred)))

(defun gls-write ()
  (with-temp-file (getenv "GLS_OUT")
    (insert (let ((json-encoding-pretty-print t)) (json-encode gls-result)))))

;; Eglot: built in since Emacs 29; on Emacs 28 Debian's elpa-eglot, which
;; -Q leaves off the load-path, so activate the system's ELPA packages
;; (and nothing from the user's own package directory).
(unless (locate-library "eglot")
  (setq package-user-dir (make-temp-file "gls-elpa" t))
  (setq package-directory-list
        (cl-remove-if-not #'file-directory-p '("/usr/share/emacs/site-lisp/elpa")))
  (package-initialize))

(defun gls-line (n)
  "Text of line N (1-based) of the current buffer."
  (save-excursion
    (goto-char (point-min))
    (forward-line (1- n))
    (buffer-substring-no-properties (line-beginning-position) (line-end-position))))

(defun gls-diag-code (diag)
  "The LSP code of the Flymake diagnostic DIAG, from eglot's data."
  (let* ((data (flymake-diagnostic-data diag))
         (lsp (and (listp data) (cdr (assq 'eglot-lsp-diag data)))))
    (plist-get lsp :code)))

(defun gls-session ()
  (let* ((repo (getenv "GLS_REPO"))
         (wrapper (split-string (or (getenv "GLS_WRAPPER") "")))
         (doc (getenv "GLS_DOC")))
    (setq jsonrpc-default-request-timeout (* 10 gls-scale)
          eglot-connect-timeout (* 30 gls-scale)
          eglot-sync-connect t
          eglot-autoreconnect nil)
    (load (expand-file-name "editors/emacs/glossary-ls.el" repo) nil t)
    (setq glossary-ls-command (append wrapper (list (getenv "GLS_BINARY") "--stdio"))
          ;; A setting that shows initializationOptions arrive: the
          ;; avoided term becomes an error.
          glossary-ls-settings '(:rules (:avoid-term "error")))
    (gls-put 'emacs emacs-version)
    (gls-put 'eglot (ignore-errors
                      (require 'lisp-mnt)
                      (lm-version (locate-library "eglot.el"))))
    (gls-put 'markdown_mode (and (require 'markdown-mode nil t) t))
    (add-hook 'markdown-mode-hook #'eglot-ensure)
    (add-hook 'text-mode-hook #'glossary-ls-ensure)
    (unless (featurep 'markdown-mode)
      (add-to-list 'auto-mode-alist '("\\.md\\'" . text-mode)))
    (find-file doc)
    (gls-put 'mode (symbol-name major-mode))
    ;; eglot-ensure connects after the command that opened the file;
    ;; in batch there is no command loop, so run its hook once.
    (run-hooks 'post-command-hook)
    (let ((attached (gls-wait 30 (lambda () (bound-and-true-p eglot--managed-mode)))))
      (gls-put 'attached (and attached t)))
    (let ((server (eglot-current-server)))
      (unless server (error "eglot did not start a server for %s" doc))
      (gls-put 'language_id (plist-get (eglot--TextDocumentItem) :languageId))
      (gls-put 'server_modes (mapcar #'symbol-name
                                     (if (fboundp 'eglot--languages)
                                         (mapcar #'car (eglot--languages server))
                                       (eglot--major-modes server))))
      ;; Diagnostics, as Flymake has them.
      (gls-put 'flymake (and (bound-and-true-p flymake-mode) t))
      (gls-put 'ok (and (gls-wait 20 (lambda () (flymake-diagnostics))) t))
      (gls-put 'diagnostics
               (vconcat
                (mapcar (lambda (d)
                          `((line . ,(line-number-at-pos (flymake-diagnostic-beg d)))
                            (text . ,(buffer-substring-no-properties
                                      (flymake-diagnostic-beg d) (flymake-diagnostic-end d)))
                            (message . ,(flymake-diagnostic-text d))
                            (type . ,(format "%s" (flymake-diagnostic-type d)))
                            (code . ,(gls-diag-code d))))
                        (flymake-diagnostics))))
      ;; Hover on "NRR": line 1, column 5.
      (goto-char (point-min))
      (forward-char 5)
      (let ((hover (jsonrpc-request server :textDocument/hover
                                    (eglot--TextDocumentPositionParams))))
        (gls-put 'hover (plist-get (plist-get hover :contents) :value)))
      ;; The quick fix for the avoided "NPS score" on line 2, through
      ;; eglot-code-actions as M-x would run it: the preferred action is
      ;; the default, and the stand-in for the minibuffer takes the default.
      (let* ((diag (cl-find "avoid-term" (flymake-diagnostics) :key #'gls-diag-code
                            :test #'equal))
             (beg (and diag (flymake-diagnostic-beg diag)))
             (end (and diag (flymake-diagnostic-end diag))))
        (when diag
          (let ((actions (eglot-code-actions beg end "quickfix")))
            (gls-put 'actions (vconcat (mapcar (lambda (a) (plist-get a :title)) actions)))
            (gls-put 'action (plist-get (cl-find-if (lambda (a) (plist-get a :isPreferred))
                                                    actions)
                                        :title)))
          (goto-char beg)
          (let ((completing-read-function
                 (lambda (_prompt _collection &optional _pred _req _init _hist def &rest _)
                   (gls-put 'chosen (if (consp def) (car def) def))
                   (if (consp def) (car def) def)))
                (last-nonmenu-event ?\r))
            (eglot-code-actions beg end "quickfix" t))))
      (gls-put 'line2 (gls-line 2))
      ;; Completion after "net rev" at the end of line 3: the request on
      ;; eglot's connection, then eglot's completion-at-point function,
      ;; its first candidate accepted as completion-in-region would.
      (goto-char (point-min))
      (forward-line 2)
      (end-of-line)
      (let* ((resp (jsonrpc-request server :textDocument/completion
                                    (eglot--CompletionParams)))
             (items (if (vectorp resp) resp (plist-get resp :items))))
        (when (> (length items) 0)
          (let ((first (aref items 0)))
            (gls-put 'completion (or (plist-get (plist-get first :textEdit) :newText)
                                     (plist-get first :label))))))
      (let (capf)
        ;; The first completion-at-point function that answers, as
        ;; completion-at-point asks them.
        (run-hook-wrapped 'completion-at-point-functions
                          (lambda (fn)
                            (let ((r (funcall fn)))
                              (when r
                                (gls-put 'capf_function (format "%s" fn))
                                (setq capf r)))))
        (when capf
          (cl-destructuring-bind (beg end table &rest props) capf
            (let* ((all (all-completions "" table))
                   (sort (cdr (assq 'display-sort-function
                                    (cdr (funcall table "" nil 'metadata)))))
                   (sorted (if sort (funcall sort all) all))
                   (pick (car sorted)))
              (gls-put 'capf_candidates (length all))
              (gls-put 'capf_first (and pick (substring-no-properties pick)))
              (when pick
                (delete-region beg end)
                (goto-char beg)
                (insert pick)
                (funcall (plist-get props :exit-function) pick 'finished))))))
      (gls-put 'line3 (gls-line 3))
      ;; A plain-text document beside it (GLS_TEXT_DOC): text-mode, its
      ;; own languageId, and the avoided term found there too.
      (let ((text-doc (getenv "GLS_TEXT_DOC")))
        (when text-doc
          (find-file text-doc)
          (gls-put 'text_mode (symbol-name major-mode))
          (run-hooks 'post-command-hook)
          (gls-put 'text_attached
                   (and (gls-wait 30 (lambda () (bound-and-true-p eglot--managed-mode))) t))
          (when (eglot-current-server)
            (gls-put 'text_language_id (plist-get (eglot--TextDocumentItem) :languageId))
            (gls-wait 20 (lambda () (flymake-diagnostics)))
            (gls-put 'text_codes (vconcat (mapcar #'gls-diag-code (flymake-diagnostics)))))))
      ;; Shut every server down.  jsonrpc kills the process right after
      ;; the exit notification; give it the time to exit by itself first,
      ;; so that its exit status (valgrind's, under valgrind) means something.
      (advice-add 'jsonrpc-shutdown :before
                  (lambda (conn &rest _)
                    (let ((proc (jsonrpc--process conn)))
                      (gls-wait 20 (lambda () (not (process-live-p proc)))))))
      (let ((exits nil))
        (dolist (srv (cl-remove-duplicates
                      (apply #'append (hash-table-values eglot--servers-by-project))))
          (let ((proc (jsonrpc--process srv))
                (stderr (jsonrpc-stderr-buffer srv)))
            (eglot-shutdown srv nil (* 5 gls-scale) t)
            (push `((command . ,(vconcat (process-command proc)))
                    (status . ,(symbol-name (process-status proc)))
                    (code . ,(process-exit-status proc))
                    (stderr . ,(if (buffer-live-p stderr)
                                   (with-current-buffer stderr
                                     (buffer-substring-no-properties
                                      (max (point-min) (- (point-max) 4000)) (point-max)))
                                 "")))
                  exits)))
        (gls-put 'exits (vconcat (nreverse exits)))))))

(condition-case err
    (gls-session)
  (error (gls-put 'error (error-message-string err))))
(gls-write)
(kill-emacs 0)

;;; emacs_session.el ends here
