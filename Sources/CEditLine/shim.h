// Non-variadic wrappers over libedit (and a few libc globals) for Swift.
// Swift cannot call C variadic functions such as el_set, el_wset, el_get and history, and
// Swift 6 rejects direct use of mutable C globals such as stdin, stdout and environ.
#ifndef ORCH_CEDITLINE_SHIM_H
#define ORCH_CEDITLINE_SHIM_H

#include <histedit.h>
#include <stdio.h>
#include <wchar.h>
#include <locale.h>

typedef char *(*orch_prompt_fn)(EditLine *);
typedef unsigned char (*orch_command_fn)(EditLine *, int);
typedef int (*orch_getc_fn)(EditLine *, wchar_t *);

static inline FILE *orch_stdin(void) { return stdin; }
static inline FILE *orch_stdout(void) { return stdout; }
static inline FILE *orch_stderr(void) { return stderr; }

static inline int orch_el_set_prompt(EditLine *el, orch_prompt_fn fn) {
    return el_set(el, EL_PROMPT, fn);
}
/// Prompt with invisible sections (colour escapes) delimited by `marker`.
static inline int orch_el_set_prompt_esc(EditLine *el, orch_prompt_fn fn, char marker) {
    return el_set(el, EL_PROMPT_ESC, fn, marker);
}
static inline int orch_el_set_editor(EditLine *el, const char *mode) {
    return el_set(el, EL_EDITOR, mode);
}
static inline int orch_el_set_history(EditLine *el, History *h) {
    return el_set(el, EL_HIST, history, h);
}
static inline int orch_el_set_signal(EditLine *el, int on) {
    return el_set(el, EL_SIGNAL, on);
}
static inline int orch_el_add_function(EditLine *el, const char *name, const char *help, orch_command_fn fn) {
    return el_set(el, EL_ADDFN, name, help, fn);
}
static inline int orch_el_bind(EditLine *el, const char *key, const char *function) {
    return el_set(el, EL_BIND, key, function, NULL);
}
static inline int orch_el_set_getc(EditLine *el, orch_getc_fn fn) {
    return el_wset(el, EL_GETCFN, fn);
}
static inline int orch_el_set_clientdata(EditLine *el, void *data) {
    return el_set(el, EL_CLIENTDATA, data);
}
static inline void *orch_el_get_clientdata(EditLine *el) {
    void *data = NULL;
    el_get(el, EL_CLIENTDATA, &data);
    return data;
}
static inline void orch_el_refresh(EditLine *el) { el_set(el, EL_REFRESH); }

static inline int orch_history_setsize(History *h, HistEvent *ev, int size) {
    return history(h, ev, H_SETSIZE, size);
}
static inline int orch_history_setunique(History *h, HistEvent *ev, int unique) {
    return history(h, ev, H_SETUNIQUE, unique);
}
static inline int orch_history_enter(History *h, HistEvent *ev, const char *line) {
    return history(h, ev, H_ENTER, line);
}
static inline int orch_history_load(History *h, HistEvent *ev, const char *path) {
    return history(h, ev, H_LOAD, path);
}
static inline int orch_history_save(History *h, HistEvent *ev, const char *path) {
    return history(h, ev, H_SAVE, path);
}

#endif
